// The target lifecycle state IMDS serves at autoscaling/target-lifecycle-state: where Auto
// Scaling is taking the instance (InService while launching or in service, Terminated once it
// is leaving), or undefined when the instance is in no group (IMDS answers 404).
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
