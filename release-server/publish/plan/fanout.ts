// Who gets pushed: every target member not yet on the release, as far as we know. On the first pass
// nothing is known and everyone with an address is pushed (rsync of an unchanged tree is cheap);
// on reconcile passes the members' manifests say who is behind.
import type { Member } from "../members.js";

/** What reading a member's manifest over ssh told us. */
export type MemberState =
  | { kind: "on-release"; releaseId: string }
  | { kind: "no-manifest" }
  | { kind: "not-mounted" }
  /** The target proof failed (target-proof.ts): never written. */
  | { kind: "not-release-volume"; message: string }
  | { kind: "unreachable"; message: string }
  | { kind: "host-key-mismatch"; message: string }
  /** Pushed (to `releaseId` when the manifest read back), but its read-only mount stayed read-write. */
  | { kind: "left-writable"; releaseId?: string; message: string };

export interface Waiting {
  instanceId: string;
  asg: string;
  reason: string;
  /** Nothing more this publish can do: reported now, not waited for until the deadline. */
  settled?: boolean;
}

export interface FanoutPlan {
  push: Member[];
  /** Not pushed now, not converged either: checked again on the next pass. */
  waiting: Waiting[];
  converged: string[];
}

export function planFanout(
  members: readonly Member[],
  releaseId: string,
  states: ReadonlyMap<string, MemberState> = new Map(),
  lastPushErrors: ReadonlyMap<string, string> = new Map(),
  /** Members given up on as unreachable (unreachable.ts), with the reason: reported, not pushed. */
  givenUp: ReadonlyMap<string, string> = new Map(),
): FanoutPlan {
  const plan: FanoutPlan = { push: [], waiting: [], converged: [] };
  for (const m of members) {
    const state = states.get(m.instanceId);
    const wait = (reason: string) => plan.waiting.push({ instanceId: m.instanceId, asg: m.asg, reason });
    const gaveUp = givenUp.get(m.instanceId);
    if (state?.kind === "on-release" && state.releaseId === releaseId) {
      plan.converged.push(m.instanceId);
    } else if (gaveUp !== undefined) {
      plan.waiting.push({ instanceId: m.instanceId, asg: m.asg, reason: gaveUp, settled: true });
    } else if (!m.privateIp) {
      wait("no private IP address yet");
    } else if (state?.kind === "not-mounted") {
      // Pushing now would write under the mount point, hidden once the agent mounts the volume.
      wait("booting: the release volume is not mounted yet");
    } else if (state?.kind === "not-release-volume") {
      // Never written. Nothing this publish does changes it, unless the instance is still booting
      // (its agent may be about to mount the release over what is there).
      plan.waiting.push({
        instanceId: m.instanceId,
        asg: m.asg,
        reason: `not the release volume: ${state.message}`,
        settled: !m.lifecycleState.startsWith("Pending"),
      });
    } else if (state?.kind === "left-writable") {
      // Pushing again would find the mount read-write and leave it so: report it instead.
      plan.waiting.push({ instanceId: m.instanceId, asg: m.asg, reason: state.message, settled: true });
    } else if (state?.kind === "host-key-mismatch") {
      // Never push to a host whose key changed: it is not the instance we first talked to.
      wait(`host key mismatch: ${state.message}`);
    } else {
      plan.push.push(m);
    }
  }
  // Members pushed again still owe an explanation if the deadline passes; the reasons say why.
  for (const m of plan.push) {
    const state = states.get(m.instanceId);
    const reason = describeBehind(state, releaseId, lastPushErrors.get(m.instanceId));
    if (reason) plan.waiting.push({ instanceId: m.instanceId, asg: m.asg, reason });
  }
  return plan;
}

function describeBehind(
  state: MemberState | undefined,
  releaseId: string,
  pushError: string | undefined,
): string | undefined {
  const push = pushError ? `; last push failed: ${pushError}` : "";
  switch (state?.kind) {
    case undefined:
      return pushError ? `push failed: ${pushError}` : undefined;
    case "on-release":
      return `behind: has ${state.releaseId}, not ${releaseId}${push}`;
    case "no-manifest":
      return `no release manifest${push}`;
    case "unreachable":
      return `unreachable: ${state.message}${push}`;
    default:
      return undefined;
  }
}
