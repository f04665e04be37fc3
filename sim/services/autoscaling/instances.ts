// DescribeAutoScalingInstances, TerminateInstanceInAutoScalingGroup, DetachInstances,
// SetInstanceProtection: operations on single members.
import { validationError } from "../../api/errors.js";
import type { AsgMember, AutoScalingGroup } from "../../state/types.js";
import type { OpHandler } from "../types.js";
import { startActivity, updateActivity } from "./activities.js";
import { detachCause, userTerminateCause } from "./causes.js";
import { requiredBool, requiredParam } from "./errors.js";
import { beginTermination } from "./lifecycle.js";
import { deregisterFrom, groupTargets } from "./lb.js";
import { countsTowardsCapacity, requireLiveGroup, requireMember } from "./lookup.js";
import { binaryOrder, pageOf } from "./paging.js";
import { activityShape, autoScalingInstanceShape } from "./shapes.js";
import { announceTargetState } from "./target-lifecycle-state.js";

export const describeAutoScalingInstances: OpHandler = ({ region, params }) => {
  const ids = params.strings("InstanceIds");
  const all = [...region.autoScalingGroups.values()]
    .flatMap((g) => g.members.map((m) => ({ g, m })))
    .filter(({ m }) => ids.length === 0 || ids.includes(m.instanceId))
    .sort((a, b) => binaryOrder(a.m.instanceId, b.m.instanceId));
  const page = pageOf(all, params, {
    scope: `DescribeAutoScalingInstances:${ids.join(",")}`,
    defaultSize: 50,
    maxSize: 50,
  });
  return {
    AutoScalingInstances: page.items.map(({ g, m }) => autoScalingInstanceShape(region, g, m)),
    NextToken: page.nextToken,
  };
};

/** Refuses a decrement that would take the desired capacity below the minimum. */
function checkDecrement(group: AutoScalingGroup, count: number, verb: string): void {
  if (group.desiredCapacity - count < group.minSize)
    throw validationError(
      `Currently, desiredSize equals minSize (${group.minSize}). ${verb} instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`,
    );
}

export const terminateInstanceInAutoScalingGroup: OpHandler = ({ sim, region, params }) => {
  const instanceId = requiredParam(params.str("InstanceId"), "InstanceId");
  const decrement = requiredBool(params, "ShouldDecrementDesiredCapacity");
  const { group, member } = requireMember(region, instanceId);
  if (member.lifecycleState.startsWith("Terminating")) {
    const current = group.activities.find((a) => a.activityId === member.activityId);
    if (current) return { Activity: activityShape(group, current) };
  }
  const from = group.desiredCapacity;
  if (decrement && countsTowardsCapacity(member)) {
    checkDecrement(group, 1, "Terminating");
    group.desiredCapacity -= 1;
  }
  const now = sim.clock.now();
  const cause = userTerminateCause(now, instanceId, from, decrement ? group.desiredCapacity : undefined);
  beginTermination(sim, region, group, member, { cause, runHooks: true });
  const activity = group.activities.find((a) => a.activityId === member.activityId)!;
  return { Activity: activityShape(group, activity) };
};

function membersOf(group: AutoScalingGroup, ids: string[]): AsgMember[] {
  return ids.map((id) => {
    const member = group.members.find((m) => m.instanceId === id);
    if (!member)
      throw validationError(
        `The instance ${id} is not part of Auto Scaling group ${group.autoScalingGroupName}.`,
      );
    return member;
  });
}

export const detachInstances: OpHandler = ({ sim, region, params }) => {
  const group = requireLiveGroup(
    region,
    requiredParam(params.str("AutoScalingGroupName"), "AutoScalingGroupName"),
  );
  const decrement = requiredBool(params, "ShouldDecrementDesiredCapacity");
  const members = membersOf(group, params.strings("InstanceIds"));
  for (const m of members)
    if (m.lifecycleState !== "InService" && m.lifecycleState !== "Standby")
      throw validationError(`The instance ${m.instanceId} is not in InService or Standby.`);
  const counted = members.filter(countsTowardsCapacity).length;
  if (decrement) checkDecrement(group, counted, "Detaching");
  const now = sim.clock.now();
  deregisterFrom(
    sim,
    region,
    groupTargets(group),
    members.map((m) => m.instanceId),
  );
  const activities = members.map((m) => {
    const from = group.desiredCapacity;
    if (decrement && countsTowardsCapacity(m)) group.desiredCapacity -= 1;
    const activity = startActivity(group, now, {
      description: `Detaching EC2 instance: ${m.instanceId}`,
      cause: detachCause(now, m.instanceId, from, decrement ? group.desiredCapacity : undefined),
    });
    updateActivity(group, activity.activityId, now, "Successful");
    return activity;
  });
  group.members = group.members.filter((m) => !members.includes(m));
  for (const m of members) announceTargetState(sim, region, m.instanceId, "Detached");
  return { Activities: activities.map((a) => activityShape(group, a)) };
};

export const setInstanceProtection: OpHandler = ({ region, params }) => {
  const group = requireLiveGroup(
    region,
    requiredParam(params.str("AutoScalingGroupName"), "AutoScalingGroupName"),
  );
  const protect = requiredBool(params, "ProtectedFromScaleIn");
  for (const m of membersOf(group, params.strings("InstanceIds"))) m.protectedFromScaleIn = protect;
  return {};
};
