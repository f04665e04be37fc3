// SetDesiredCapacity: the new size must be within the group's bounds; the reconcile loop then
// launches or terminates to meet it.
import { validationError } from "../../api/errors.js";
import type { OpHandler } from "../types.js";
import { setDesiredCause } from "./causes.js";
import { requiredInt, requiredParam } from "./errors.js";
import { requireLiveGroup } from "./lookup.js";

export const setDesiredCapacity: OpHandler = ({ sim, region, params }) => {
  const group = requireLiveGroup(
    region,
    requiredParam(params.str("AutoScalingGroupName"), "AutoScalingGroupName"),
  );
  const desired = requiredInt(params, "DesiredCapacity");
  if (desired > group.maxSize)
    throw validationError(
      `New SetDesiredCapacity value ${desired} is above max value ${group.maxSize} for the AutoScalingGroup.`,
    );
  if (desired < group.minSize)
    throw validationError(
      `New SetDesiredCapacity value ${desired} is below min value ${group.minSize} for the AutoScalingGroup.`,
    );
  if (desired !== group.desiredCapacity) {
    group.capacityCause = setDesiredCause(sim.clock.now(), group.desiredCapacity, desired);
    group.desiredCapacity = desired;
  }
  return undefined;
};
