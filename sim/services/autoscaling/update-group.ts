// UpdateAutoScalingGroup: changes what the request names; sizes follow AWS's rules for a new min
// or max given without a desired capacity.
import type { OpHandler } from "../types.js";
import { updateCause } from "./causes.js";
import { checkRange, requiredParam } from "./errors.js";
import { checkSizes, readHealthCheckType, readLaunchSource, readPlacement } from "./group-input.js";
import { requireLiveGroup } from "./lookup.js";

export const updateAutoScalingGroup: OpHandler = ({ sim, region, params }) => {
  const group = requireLiveGroup(
    region,
    requiredParam(params.str("AutoScalingGroupName"), "AutoScalingGroupName"),
  );
  const min = params.int("MinSize");
  const max = params.int("MaxSize");
  let desired = params.int("DesiredCapacity");
  // A new min above (or max below) the current desired capacity moves it, as AWS documents.
  if (desired === undefined) {
    if (min !== undefined && min > group.desiredCapacity) desired = min;
    if (max !== undefined && max < group.desiredCapacity) desired = max;
  }
  const sizes = {
    minSize: min ?? group.minSize,
    maxSize: max ?? group.maxSize,
    desiredCapacity: desired ?? group.desiredCapacity,
  };
  checkSizes(sizes);
  const source = readLaunchSource(sim, region, params);
  const placement = readPlacement(region, params);
  const grace = params.int("HealthCheckGracePeriod");
  const cooldown = params.int("DefaultCooldown");
  checkRange(grace, "healthCheckGracePeriod", { min: 0 });
  checkRange(cooldown, "defaultCooldown", { min: 0 });
  const healthCheckType = readHealthCheckType(params);

  if (source) {
    group.launchConfigurationName = source.launchConfigurationName;
    group.launchTemplate = source.launchTemplate;
    group.mixedInstancesPolicy = source.mixedInstancesPolicy;
  }
  if (placement) Object.assign(group, placement);
  if (sizes.desiredCapacity !== group.desiredCapacity)
    group.capacityCause = updateCause(
      sim.clock.now(),
      sizes.minSize,
      sizes.maxSize,
      group.desiredCapacity,
      sizes.desiredCapacity,
    );
  Object.assign(group, sizes);
  if (grace !== undefined) group.healthCheckGracePeriod = grace;
  if (cooldown !== undefined) group.defaultCooldown = cooldown;
  if (healthCheckType) group.healthCheckType = healthCheckType;
  const protect = params.bool("NewInstancesProtectedFromScaleIn");
  if (protect !== undefined) group.newInstancesProtectedFromScaleIn = protect;
  const policies = params.strings("TerminationPolicies");
  if (policies.length) group.terminationPolicies = policies;
  return undefined;
};
