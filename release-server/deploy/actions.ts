// The deploy plan as data: every step the executor may take, each with
// the reason it was planned. format.ts prints them, `--json` serialises them, execute.ts runs them.
import type { LaunchData } from "./launch-data.js";

/** A classic load balancer by name, or an ELBv2 target group. */
export type LbRef = { kind: "classic"; name: string } | { kind: "targetGroup"; arn: string; name: string };

/** User data still to be read from S3 and rendered (seed: read "only when a new launch config is being created"). */
export interface PendingUserData {
  bucket: string;
  key: string;
  imageId: string;
  imageIdSubst?: string;
  imageIdPath?: string;
  componentHasOwnLaunchConfig: boolean;
}

export interface LifecycleHookSpec {
  name: string;
  heartbeatTimeout: number;
  defaultResult: "CONTINUE" | "ABANDON";
}

/** Seed 000, "Delegated Destroy": exactly the fields the handler receives. */
export interface HandoffBody {
  ec2_region: string;
  ec2_instance_id: string;
  ip_address: string | null;
  project: string;
  component: string;
  user_data: unknown;
}

interface Base {
  component: string;
  reason: string;
}

export type Action = Base &
  (
    | {
        kind: "createLaunchTemplate";
        name: string;
        data: LaunchData;
        pendingUserData?: PendingUserData;
        tags: Record<string, string>;
      }
    | { kind: "deleteLaunchTemplate"; name: string }
    | {
        kind: "createLaunchConfiguration";
        name: string;
        data: LaunchData;
        pendingUserData?: PendingUserData;
      }
    | { kind: "deleteLaunchConfiguration"; name: string }
    | {
        kind: "createGroup";
        group: string;
        launch: { kind: "template" | "configuration"; name: string };
        subnetIds: string[];
        minSize: number;
        maxSize: number;
        desiredCapacity: number;
        /** Every tag propagates to the instances. */
        tags: Record<string, string>;
        /** Set on the group only, not on its instances (the launch hook record). */
        groupTags: Record<string, string>;
        hook?: LifecycleHookSpec;
        healthCheck: { type: "EC2" | "ELB"; graceSeconds: number };
      }
    | {
        /** An existing group's launch hook made as the environment says, then recorded in its tag. */
        kind: "ensureLifecycleHook";
        group: string;
        /** The hook to put (PutLifecycleHook); absent when lifecycle_hook.enabled is false. */
        hook?: LifecycleHookSpec;
        /** asg-release's own hooks to delete, by name (turned off, or renamed); never another's. */
        remove: string[];
        /** The group tag recording the settings, written once the hook is in place. */
        tag: { key: string; value: string };
      }
    | { kind: "setCapacity"; group: string; minSize: number; maxSize: number; desiredCapacity: number }
    | { kind: "attachLbs"; group: string; lbs: LbRef[] }
    | { kind: "detachLbs"; group: string; lbs: LbRef[] }
    | {
        kind: "waitJoin";
        group: string;
        count: number;
        /** How many of `count` must be healthy (rollout.min_healthy_percent); all when absent. */
        healthy?: number;
        lbs: LbRef[];
        runningTimeoutSeconds: number;
        joinTimeoutSeconds: number;
      }
    | {
        kind: "bake";
        group: string;
        seconds: number;
        count: number;
        /** Fewer healthy members than this during the bake fails it (and rolls back). */
        healthy: number;
        lbs: LbRef[];
      }
    | { kind: "keepGroup"; group: string; seconds: number }
    | { kind: "unkeepGroup"; group: string }
    | { kind: "waitDrained"; group: string; instanceIds: string[]; lbs: LbRef[]; timeoutSeconds: number }
    | { kind: "markHandoff"; instanceIds: string[] }
    | { kind: "detachInstances"; group: string; instanceIds: string[] }
    | { kind: "postHandoff"; uri: string; bodies: HandoffBody[] }
    | { kind: "clearHandoff"; instanceIds: string[] }
    | { kind: "deleteGroup"; group: string }
    | { kind: "waitGroupGone"; group: string; timeoutSeconds: number }
    | { kind: "sweepVolumes"; group: string }
  );

export type ActionKind = Action["kind"];
export type ActionOf<K extends ActionKind> = Extract<Action, { kind: K }>;

export type ChangeKind =
  "deploy" | "upgrade" | "replace" | "scale" | "attach" | "configure" | "resume" | "destroy" | "rollback";

export type Operation = "deploy" | "destroy" | "rollback";

/** The actions for one component, run in order; `onFailure` runs when one of them fails. */
export interface Change {
  component: string;
  kind: ChangeKind;
  reason: string;
  actions: Action[];
  /** Health-gated switching: when a health wait or bake fails, tear the new slot down, leaving the old one attached and serving. */
  onFailure: Action[];
}

export interface Plan {
  project: string;
  region: string;
  mode: "full" | "limited";
  operation: Operation;
  changes: Change[];
  /** Things the operator should know (the seed's cautions where they apply). */
  warnings: string[];
  /** Things that stop the deploy before any change (exit 2). */
  problems: string[];
}
