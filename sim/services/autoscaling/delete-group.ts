// DeleteAutoScalingGroup: refused while the group has instances or launches under way, unless
// ForceDelete, which terminates the members (no lifecycle hooks) and removes the group once
// they are gone; meanwhile the group shows Status "Delete in progress".
import type { OpHandler } from "../types.js";
import { deleteCause } from "./causes.js";
import { requiredParam, resourceInUse, scalingActivityInProgress } from "./errors.js";
import { beginTermination } from "./lifecycle.js";
import { requireGroup } from "./lookup.js";

export const deleteAutoScalingGroup: OpHandler = ({ sim, region, params }) => {
  const group = requireGroup(
    region,
    requiredParam(params.str("AutoScalingGroupName"), "AutoScalingGroupName"),
  );
  if (group.status === "Delete in progress") return undefined;
  const force = params.bool("ForceDelete") ?? false;
  if (!force) {
    // Members still on their way out are an activity in progress rather than instances in the group.
    if (group.members.length > 0 && group.members.every((m) => m.lifecycleState.startsWith("Terminating")))
      throw scalingActivityInProgress(
        "You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.",
      );
    if (group.members.length > 0)
      throw resourceInUse(
        "You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.",
      );
    if (group.activities.some((a) => !a.endTime))
      throw scalingActivityInProgress(
        "You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.",
      );
  }
  if (group.members.length === 0) {
    region.autoScalingGroups.delete(group.autoScalingGroupName);
    return undefined;
  }
  group.status = "Delete in progress";
  const now = sim.clock.now();
  for (const member of group.members) {
    if (member.lifecycleState.startsWith("Terminating")) {
      // Outstanding termination actions are dropped with the group.
      member.lifecycleActions = undefined;
      member.lifecycleState = "Terminating:Proceed";
      continue;
    }
    beginTermination(sim, region, group, member, { cause: deleteCause(now), runHooks: false });
  }
  return undefined;
};
