// The target lifecycle state IMDS serves at autoscaling/target-lifecycle-state: where Auto
// Scaling is taking the instance (InService while launching or in service, Terminated once it
// is leaving), or undefined when the instance is in no group (IMDS answers 404).
import type { Sim } from "../../runtime.js";
import type { RegionState } from "../../state/store.js";
import { findMember } from "./lookup.js";

export function targetLifecycleState(region: RegionState, instanceId: string): string | undefined {
  const state = findMember(region, instanceId)?.member.lifecycleState;
  if (state === undefined) return undefined;
  if (state.startsWith("Terminating") || state === "Terminated") return "Terminated";
  if (state === "Detaching" || state === "Detached") return "Detached";
  if (state === "Standby") return "Standby";
  return "InService";
}

/** Tells EC2 (the instance's metadata service) where Auto Scaling is taking an instance. */
export function announceTargetState(sim: Sim, region: RegionState, instanceId: string, state: string): void {
  const ec2 = sim.internal.ec2;
  if (!ec2?.setTargetLifecycleState) return;
  ec2
    .setTargetLifecycleState(region, instanceId, state)
    .catch((err: unknown) => sim.recordError(`autoscaling:target-lifecycle-state ${instanceId}`, err));
}
