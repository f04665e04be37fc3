// CreateAutoScalingGroup: checks every part as AWS does, then stores the group; the reconcile
// loop launches its instances.
import { validationError } from "../../api/errors.js";
import type { AutoScalingGroup } from "../../state/types.js";
import type { OpHandler } from "../types.js";
import { groupArn } from "./arn.js";
import { createdCause } from "./causes.js";
import { alreadyExists, checkRange, requiredInt, requiredParam } from "./errors.js";
import {
  checkSizes,
  readAsgTags,
  readHealthCheckType,
  readLaunchSource,
  readPlacement,
} from "./group-input.js";
import { buildHook } from "./lifecycle-hooks.js";
import { checkLoadBalancers, checkTargetGroups } from "./load-balancers.js";

export const createAutoScalingGroup: OpHandler = ({ sim, region, params }) => {
  const name = requiredParam(params.str("AutoScalingGroupName"), "AutoScalingGroupName");
  if (region.autoScalingGroups.has(name))
    throw alreadyExists(
      `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`,
    );
  const minSize = requiredInt(params, "MinSize");
  const maxSize = requiredInt(params, "MaxSize");
  const desiredCapacity = params.int("DesiredCapacity") ?? minSize;
  checkSizes({ minSize, maxSize, desiredCapacity });
  const source = readLaunchSource(sim, region, params);
  if (!source)
    throw validationError(
      "Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.",
    );
  const placement = readPlacement(region, params);
  if (!placement) throw validationError("At least one Availability Zone or VPC Subnet is required.");
  const loadBalancerNames = [...new Set(params.strings("LoadBalancerNames"))];
  const targetGroupARNs = [...new Set(params.strings("TargetGroupARNs"))];
  checkLoadBalancers(sim, region, loadBalancerNames);
  checkTargetGroups(sim, region, targetGroupARNs);
  const grace = params.int("HealthCheckGracePeriod");
  const cooldown = params.int("DefaultCooldown");
  checkRange(grace, "healthCheckGracePeriod", { min: 0 });
  checkRange(cooldown, "defaultCooldown", { min: 0 });
  const tags = new Map(readAsgTags(params).map(({ tag }) => [tag.key, tag]));
  const hooks = params.objects("LifecycleHookSpecificationList").map((p) => buildHook(name, p));
  const now = sim.clock.now();
  const group: AutoScalingGroup = {
    autoScalingGroupName: name,
    autoScalingGroupARN: groupArn(region.name, sim.options.accountId, name),
    ...source,
    minSize,
    maxSize,
    desiredCapacity,
    defaultCooldown: cooldown ?? 300,
    ...placement,
    loadBalancerNames,
    targetGroupARNs,
    healthCheckType: readHealthCheckType(params) ?? "EC2",
    healthCheckGracePeriod: grace ?? 0,
    createdTime: now,
    suspendedProcesses: [],
    tags: [...tags.values()],
    members: [],
    lifecycleHooks: hooks,
    newInstancesProtectedFromScaleIn: params.bool("NewInstancesProtectedFromScaleIn") ?? false,
    terminationPolicies: params.strings("TerminationPolicies").length
      ? params.strings("TerminationPolicies")
      : undefined,
    capacityCause: desiredCapacity > 0 ? createdCause(now, desiredCapacity) : undefined,
    activities: [],
  };
  region.autoScalingGroups.set(name, group);
  sim.faults.created("autoscaling:CreateAutoScalingGroup", name);
  return undefined;
};
