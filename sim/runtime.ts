// The running local region: state, clock, faults, the host driver, and the hooks services use to
// call each other (Auto Scaling launches through EC2; load balancers look up instances).
import type { FaultSpec } from "./control/faults.js";
import { Faults } from "./control/faults.js";
import { SimClock } from "./control/clock.js";
import { ControlRoutes } from "./control/routes.js";
import { Principals } from "./auth/principals.js";
import type { QueryService, QueryServiceName, RestHandler } from "./services/types.js";
import { SimState, type RegionState } from "./state/store.js";
import type { Instance, LaunchTemplateData, Tags } from "./state/types.js";

export interface SimDelays {
  /** pending -> running */
  instancePendingMs: number;
  /** shutting-down -> terminated */
  instanceShutdownMs: number;
  /** creating -> available */
  volumeCreateMs: number;
  /** attaching -> attached, detaching -> detached */
  volumeAttachMs: number;
  /** pending -> completed */
  snapshotMs: number;
  /** how often Auto Scaling groups reconcile */
  asgReconcileMs: number;
  /** ELBv2 load balancer provisioning -> active */
  loadBalancerProvisionMs: number;
}

export const DEFAULT_DELAYS: SimDelays = {
  instancePendingMs: 200,
  instanceShutdownMs: 200,
  volumeCreateMs: 100,
  volumeAttachMs: 100,
  snapshotMs: 300,
  asgReconcileMs: 250,
  loadBalancerProvisionMs: 100,
};

export interface SimOptions {
  stateDir: string;
  accountId: string;
  regions: Record<string, string[]>;
  /** Instances are real local hosts ("full") or API-only ("light"). */
  hostKind: "full" | "light";
  delays: SimDelays;
  /** Static credentials handed to instances (IMDS role credentials, user-data environment). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** When set, only these actions ("ec2:RunInstances") are allowed; others get AccessDenied. */
  allowActions?: string[];
  /** Keep the state directory on stop (debugging). */
  keepStateDir: boolean;
  /** "127.0.0.1:PORT" registries that full instances' podman reaches over plain HTTP. */
  insecureRegistries?: string[];
  /** N of the 127.N.0.0/16 block instances get their private IPs from; random when absent. */
  privateIpBlock?: number;
}

export interface LaunchRequest {
  imageId: string;
  instanceType: string;
  keyName?: string;
  subnetId: string;
  securityGroupIds: string[];
  /** base64 */
  userData?: string;
  iamInstanceProfile?: { arn?: string; name?: string };
  ebsOptimized?: boolean;
  associatePublicIpAddress?: boolean;
  tags: Tags;
  launchTemplate?: { launchTemplateId: string; version: string };
  httpTokens?: "optional" | "required";
  /** Root and extra volumes; when launching from a template, its mappings apply unless given here. */
  blockDeviceMappings?: LaunchTemplateData["blockDeviceMappings"];
  /** Tags for the volumes created at launch. */
  volumeTags?: Tags;
  metadataOptions?: LaunchTemplateData["metadataOptions"];
  /** Overrides the sim's host kind for this launch. */
  hostKind?: "full" | "light";
}

/** What EC2 offers the other services. */
export interface Ec2Internal {
  launchInstance(region: RegionState, req: LaunchRequest): Promise<Instance>;
  terminateInstances(region: RegionState, instanceIds: string[]): Promise<void>;
  /** Resolves a launch template version ("$Latest", "$Default", "3") to a launch request base. */
  resolveLaunchTemplate(
    region: RegionState,
    ref: { launchTemplateId?: string; launchTemplateName?: string; version?: string },
  ): {
    launchTemplateId: string;
    launchTemplateName: string;
    version: string;
    data: LaunchTemplateData;
  };
  /** What a full instance's metadata service answers under autoscaling/target-lifecycle-state. */
  setTargetLifecycleState?(region: RegionState, instanceId: string, state: string): Promise<void>;
}

/** What the load balancers offer Auto Scaling. */
export interface LbInternal {
  registerInstances(
    region: RegionState,
    target: { loadBalancerName?: string; targetGroupArn?: string },
    instanceIds: string[],
  ): void;
  deregisterInstances(
    region: RegionState,
    target: { loadBalancerName?: string; targetGroupArn?: string },
    instanceIds: string[],
  ): void;
  /** "Healthy" unless some attached load balancer reports the instance unhealthy (ELB health check type). */
  isHealthy(
    region: RegionState,
    target: { loadBalancerName?: string; targetGroupArn?: string },
    instanceId: string,
  ): boolean;
}

export interface SimInternal {
  ec2?: Ec2Internal;
  lb?: LbInternal;
}

export class Sim {
  readonly state: SimState;
  readonly clock = new SimClock();
  readonly faults = new Faults();
  readonly services = new Map<QueryServiceName, QueryService>();
  readonly internal: SimInternal = {};
  readonly control: ControlRoutes = new ControlRoutes(this);
  /** Access keys whose requests are decided by IAM policies. */
  readonly principals = new Principals();
  /** http://127.0.0.1:PORT once the listener is up: what instances point their AWS SDKs at. */
  endpoint?: string;
  /** S3 (REST-XML), when registered. */
  s3?: RestHandler;
  /** Cleanup work registered by services and hosts, run in reverse order on stop. */
  private readonly stoppers: (() => Promise<void> | void)[] = [];
  private readonly errors: { label: string; message: string; at: Date }[] = [];

  constructor(readonly options: SimOptions) {
    this.state = new SimState({ accountId: options.accountId, regions: options.regions });
  }

  addService(service: QueryService): void {
    this.services.set(service.name, service);
  }

  onStop(fn: () => Promise<void> | void): void {
    this.stoppers.push(fn);
  }

  /** Background failures (a reconcile loop, a probe): kept for the control API, never thrown away silently. */
  recordError(label: string, err: unknown): void {
    this.errors.push({ label, message: err instanceof Error ? err.message : String(err), at: new Date() });
    if (this.errors.length > 200) this.errors.shift();
  }

  backgroundErrors(): readonly { label: string; message: string; at: Date }[] {
    return this.errors;
  }

  setFault(op: string, spec: FaultSpec | undefined): void {
    this.faults.set(op, spec);
  }

  async stop(): Promise<void> {
    await this.clock.stop();
    for (const fn of this.stoppers.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        this.recordError("stop", err);
      }
    }
  }
}
