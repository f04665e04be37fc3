// AttachInstances: running instances join a group (desired capacity grows by as many); they go
// through Pending (and launch hooks) to InService like launched ones.
import { validationError } from "../../api/errors.js";
import type { OpHandler } from "../types.js";
import { startActivity, updateActivity } from "./activities.js";
import { causeTime } from "./causes.js";
import { requiredParam } from "./errors.js";
import { findMember, requireLiveGroup } from "./lookup.js";
import { propagatedTags } from "./reconcile/launch.js";
import { announceTargetState } from "./target-lifecycle-state.js";

export const attachInstances: OpHandler = ({ sim, region, params }) => {
  const group = requireLiveGroup(
    region,
    requiredParam(params.str("AutoScalingGroupName"), "AutoScalingGroupName"),
  );
  const ids = [...new Set(params.strings("InstanceIds"))];
  const instances = ids.map((id) => {
    const instance = region.instances.get(id);
    if (!instance || instance.state === "terminated")
      throw validationError(`Instance ${id} is not found or has been terminated.`);
    if (instance.state !== "running") throw validationError(`Instance ${id} is not in the running state.`);
    if (findMember(region, id))
      throw validationError(`The instance ${id} is already part of an Auto Scaling group.`);
    if (!group.availabilityZones.includes(instance.availabilityZone))
      throw validationError(
        `The instance ${id} is in ${instance.availabilityZone}, which is not one of the group's Availability Zones.`,
      );
    return instance;
  });
  if (group.desiredCapacity + ids.length > group.maxSize)
    throw validationError(
      `Attaching ${ids.length} instance(s) would raise the desired capacity to ${group.desiredCapacity + ids.length}, above the group's max size (${group.maxSize}).`,
    );
  const now = sim.clock.now();
  for (const instance of instances) {
    const from = group.desiredCapacity;
    group.desiredCapacity += 1;
    Object.assign(instance.tags, propagatedTags(group));
    const activity = startActivity(group, now, {
      description: `Attaching an existing EC2 instance: ${instance.instanceId}`,
      cause: `At ${causeTime(now)} a user request AttachInstances: ${instance.instanceId}, changing the desired capacity from ${from} to ${group.desiredCapacity}.`,
    });
    updateActivity(group, activity.activityId, now, "Successful");
    group.members.push({
      instanceId: instance.instanceId,
      availabilityZone: instance.availabilityZone,
      lifecycleState: "Pending",
      healthStatus: "Healthy",
      protectedFromScaleIn: group.newInstancesProtectedFromScaleIn,
    });
    announceTargetState(sim, region, instance.instanceId, "InService");
  }
  return undefined;
};
