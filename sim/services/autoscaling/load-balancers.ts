// Attach/Detach/DescribeLoadBalancers and ...LoadBalancerTargetGroups: the group's traffic
// sources. Attaching registers the members in service; detaching deregisters every member.
import { validationError } from "../../api/errors.js";
import type { Sim } from "../../runtime.js";
import type { RegionState } from "../../state/store.js";
import type { AutoScalingGroup } from "../../state/types.js";
import type { OpHandler } from "../types.js";
import { requiredParam } from "./errors.js";
import { deregisterFrom, healthyInAllTargets, registerWith } from "./lb.js";
import { requireGroup, requireLiveGroup } from "./lookup.js";
import { pageOf } from "./paging.js";

/** Refuses names no load balancer has (only checked once a load balancer service is running). */
export function checkLoadBalancers(sim: Sim, region: RegionState, names: string[]): void {
  if (!sim.internal.lb) return;
  if (names.some((n) => !region.loadBalancers.has(n)))
    throw validationError(
      "Provided Load Balancers may not be valid. Please ensure they exist and try again.",
    );
}

export function checkTargetGroups(sim: Sim, region: RegionState, arns: string[]): void {
  if (!sim.internal.lb) return;
  const known = new Set([...region.targetGroups.values()].map((tg) => tg.targetGroupArn));
  if (arns.some((arn) => !known.has(arn)))
    throw validationError("Provided Target Groups may not be valid. Please ensure they exist and try again.");
}

function inService(group: AutoScalingGroup): string[] {
  return group.members.filter((m) => m.lifecycleState === "InService").map((m) => m.instanceId);
}

function allMembers(group: AutoScalingGroup): string[] {
  return group.members.map((m) => m.instanceId);
}

const groupOf = (region: RegionState, name: string | undefined): AutoScalingGroup =>
  requireLiveGroup(region, requiredParam(name, "AutoScalingGroupName"));

export const attachLoadBalancers: OpHandler = ({ sim, region, params }) => {
  const group = groupOf(region, params.str("AutoScalingGroupName"));
  const names = params.strings("LoadBalancerNames");
  checkLoadBalancers(sim, region, names);
  const added = names.filter((n, i) => !group.loadBalancerNames.includes(n) && names.indexOf(n) === i);
  group.loadBalancerNames.push(...added);
  registerWith(
    sim,
    region,
    added.map((loadBalancerName) => ({ loadBalancerName })),
    inService(group),
  );
  return {};
};

export const detachLoadBalancers: OpHandler = ({ sim, region, params }) => {
  const group = groupOf(region, params.str("AutoScalingGroupName"));
  const names = params.strings("LoadBalancerNames").filter((n) => group.loadBalancerNames.includes(n));
  group.loadBalancerNames = group.loadBalancerNames.filter((n) => !names.includes(n));
  deregisterFrom(
    sim,
    region,
    names.map((loadBalancerName) => ({ loadBalancerName })),
    allMembers(group),
  );
  return {};
};

export const attachLoadBalancerTargetGroups: OpHandler = ({ sim, region, params }) => {
  const group = groupOf(region, params.str("AutoScalingGroupName"));
  const arns = params.strings("TargetGroupARNs");
  checkTargetGroups(sim, region, arns);
  const added = arns.filter((a, i) => !group.targetGroupARNs.includes(a) && arns.indexOf(a) === i);
  group.targetGroupARNs.push(...added);
  registerWith(
    sim,
    region,
    added.map((targetGroupArn) => ({ targetGroupArn })),
    inService(group),
  );
  return {};
};

export const detachLoadBalancerTargetGroups: OpHandler = ({ sim, region, params }) => {
  const group = groupOf(region, params.str("AutoScalingGroupName"));
  const arns = params.strings("TargetGroupARNs").filter((a) => group.targetGroupARNs.includes(a));
  group.targetGroupARNs = group.targetGroupARNs.filter((a) => !arns.includes(a));
  deregisterFrom(
    sim,
    region,
    arns.map((targetGroupArn) => ({ targetGroupArn })),
    allMembers(group),
  );
  return {};
};

/** "Added" once attached; "InService" when the group checks ELB health and a member passes it. */
function state(sim: Sim, region: RegionState, group: AutoScalingGroup): string {
  if (group.healthCheckType !== "ELB") return "Added";
  const ids = inService(group);
  return ids.some((id) => healthyInAllTargets(sim, region, group, id)) ? "InService" : "Added";
}

export const describeLoadBalancers: OpHandler = ({ sim, region, params }) => {
  const group = requireGroup(
    region,
    requiredParam(params.str("AutoScalingGroupName"), "AutoScalingGroupName"),
  );
  const page = pageOf(group.loadBalancerNames, params, {
    scope: `DescribeLoadBalancers:${group.autoScalingGroupName}`,
    defaultSize: 100,
    maxSize: 100,
  });
  const s = state(sim, region, group);
  return {
    LoadBalancers: page.items.map((LoadBalancerName) => ({ LoadBalancerName, State: s })),
    NextToken: page.nextToken,
  };
};

export const describeLoadBalancerTargetGroups: OpHandler = ({ sim, region, params }) => {
  const group = requireGroup(
    region,
    requiredParam(params.str("AutoScalingGroupName"), "AutoScalingGroupName"),
  );
  const page = pageOf(group.targetGroupARNs, params, {
    scope: `DescribeLoadBalancerTargetGroups:${group.autoScalingGroupName}`,
    defaultSize: 100,
    maxSize: 100,
  });
  const s = state(sim, region, group);
  return {
    LoadBalancerTargetGroups: page.items.map((LoadBalancerTargetGroupARN) => ({
      LoadBalancerTargetGroupARN,
      State: s,
    })),
    NextToken: page.nextToken,
  };
};
