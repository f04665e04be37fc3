// EnterStandby and ExitStandby: members leave service (off the load balancers, not counted
// towards capacity) and come back through Pending.
import { validationError } from "../../api/errors.js";
import type { AsgMember, AutoScalingGroup } from "../../state/types.js";
import type { OpHandler } from "../types.js";
import { startActivity, updateActivity } from "./activities.js";
import { causeTime } from "./causes.js";
import { requiredBool, requiredParam } from "./errors.js";
import { deregisterFrom, groupTargets } from "./lb.js";
import { requireLiveGroup } from "./lookup.js";
import { activityShape } from "./shapes.js";
import { announceTargetState } from "./target-lifecycle-state.js";

function members(group: AutoScalingGroup, ids: string[], state: string): AsgMember[] {
  return ids.map((id) => {
    const m = group.members.find((x) => x.instanceId === id);
    if (!m)
      throw validationError(
        `The instance ${id} is not part of Auto Scaling group ${group.autoScalingGroupName}.`,
      );
    if (m.lifecycleState !== state) throw validationError(`The instance ${id} is not in ${state}.`);
    return m;
  });
}

export const enterStandby: OpHandler = ({ sim, region, params }) => {
  const group = requireLiveGroup(
    region,
    requiredParam(params.str("AutoScalingGroupName"), "AutoScalingGroupName"),
  );
  const decrement = requiredBool(params, "ShouldDecrementDesiredCapacity");
  const list = members(group, params.strings("InstanceIds"), "InService");
  if (decrement && group.desiredCapacity - list.length < group.minSize)
    throw validationError(
      `Currently, desiredSize equals minSize (${group.minSize}). Moving instance to standby without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`,
    );
  const now = sim.clock.now();
  deregisterFrom(
    sim,
    region,
    groupTargets(group),
    list.map((m) => m.instanceId),
  );
  const activities = list.map((m) => {
    const from = group.desiredCapacity;
    if (decrement) group.desiredCapacity -= 1;
    m.lifecycleState = "Standby";
    announceTargetState(sim, region, m.instanceId, "Standby");
    const a = startActivity(group, now, {
      description: `Moving EC2 instance to Standby: ${m.instanceId}`,
      cause: decrement
        ? `At ${causeTime(now)} instance ${m.instanceId} was moved to standby in response to a user request, shrinking the capacity from ${from} to ${group.desiredCapacity}.`
        : `At ${causeTime(now)} instance ${m.instanceId} was moved to standby in response to a user request.`,
    });
    updateActivity(group, a.activityId, now, "Successful");
    return a;
  });
  return { Activities: activities.map((a) => activityShape(group, a)) };
};

export const exitStandby: OpHandler = ({ sim, region, params }) => {
  const group = requireLiveGroup(
    region,
    requiredParam(params.str("AutoScalingGroupName"), "AutoScalingGroupName"),
  );
  const list = members(group, params.strings("InstanceIds"), "Standby");
  if (group.desiredCapacity + list.length > group.maxSize)
    throw validationError(
      `Moving ${list.length} instance(s) out of standby would raise the desired capacity above the group's max size (${group.maxSize}).`,
    );
  const now = sim.clock.now();
  const activities = list.map((m) => {
    const from = group.desiredCapacity;
    group.desiredCapacity += 1;
    m.lifecycleState = "Pending";
    announceTargetState(sim, region, m.instanceId, "InService");
    m.inServiceAt = undefined;
    const a = startActivity(group, now, {
      description: `Moving EC2 instance out of Standby: ${m.instanceId}`,
      cause: `At ${causeTime(now)} instance ${m.instanceId} was removed from standby in response to a user request, increasing the capacity from ${from} to ${group.desiredCapacity}.`,
    });
    updateActivity(group, a.activityId, now, "Successful");
    return a;
  });
  return { Activities: activities.map((a) => activityShape(group, a)) };
};
