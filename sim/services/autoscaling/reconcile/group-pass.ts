// One reconcile pass over a group: observe members, advance lifecycles, then act on the
// difference between desired and actual capacity. A group being deleted only winds down.
import type { Sim } from "../../../runtime.js";
import type { RegionState } from "../../../state/store.js";
import type { AutoScalingGroup } from "../../../state/types.js";
import { deleteCause } from "../causes.js";
import { beginTermination } from "../lifecycle.js";
import { activeMembers } from "../lookup.js";
import { advancePending, checkHealth, expireActions, forgetTerminated } from "./lifecycle-pass.js";
import { leaveDroppedZones, replaceUnhealthy, requestTerminations, scaleIn, scaleOut } from "./scale-pass.js";

/** Failed launches back off, as AWS retries them with growing delays. */
export interface LaunchBackoff {
  failures: number;
  retryAt: number;
}

export async function reconcileGroup(
  sim: Sim,
  region: RegionState,
  group: AutoScalingGroup,
  backoff: LaunchBackoff,
): Promise<void> {
  forgetTerminated(sim, region, group);
  if (group.status === "Delete in progress") return windDown(sim, region, group);
  const now = sim.clock.now();
  checkHealth(sim, region, group, now);
  expireActions(sim, region, group, now);
  advancePending(sim, region, group, now);
  replaceUnhealthy(sim, region, group, now);
  leaveDroppedZones(sim, region, group, now);
  scaleIn(sim, region, group, now);
  forgetTerminated(sim, region, group);
  await requestTerminations(sim, region, group);
  if (now.getTime() >= backoff.retryAt) {
    if (await scaleOut(sim, region, group)) backoff.failures = 0;
    else {
      backoff.failures += 1;
      const delay = Math.min(sim.options.delays.asgReconcileMs * 2 ** backoff.failures, 60_000);
      backoff.retryAt = sim.clock.nowMs() + delay;
    }
  }
  if (activeMembers(group).length === group.desiredCapacity) group.capacityCause = undefined;
}

/** ForceDelete: every member terminates (no hooks); the group goes once none is left. */
async function windDown(sim: Sim, region: RegionState, group: AutoScalingGroup): Promise<void> {
  const now = sim.clock.now();
  for (const m of group.members)
    if (!m.lifecycleState.startsWith("Terminating"))
      beginTermination(sim, region, group, m, { cause: deleteCause(now), runHooks: false });
  await requestTerminations(sim, region, group);
  forgetTerminated(sim, region, group);
  if (group.members.length === 0 && region.autoScalingGroups.get(group.autoScalingGroupName) === group)
    region.autoScalingGroups.delete(group.autoScalingGroupName);
}
