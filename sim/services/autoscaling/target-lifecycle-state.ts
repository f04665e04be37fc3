// The target lifecycle state IMDS serves at autoscaling/target-lifecycle-state: where Auto
// Scaling is taking the instance (InService while launching or in service, Terminated once it
// is leaving), or undefined when the instance is in no group.
import type { Sim } from "../../runtime.js";
import { findMember } from "./lookup.js";

export function targetLifecycleState(sim: Sim, regionName: string, instanceId: string): string | undefined {
  const region = sim.state.region(regionName);
  const found = region && findMember(region, instanceId);
  if (!found) return undefined;
  const state = found.member.lifecycleState;
  if (state.startsWith("Terminating") || state === "Terminated") return "Terminated";
  if (state === "Detaching" || state === "Detached") return "Detached";
  if (state === "Standby") return "Standby";
  return "InService";
}
