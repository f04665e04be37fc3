// Finding ELBv2 resources by ARN, with the API's not-found errors.
import type { RegionState } from "../../state/store.js";
import type { LoadBalancerV2, TargetGroup } from "../../state/types.js";
import { listenerNotFound, loadBalancerNotFound, targetGroupNotFound } from "./errors.js";

export function findLoadBalancer(region: RegionState, arn: string): LoadBalancerV2 {
  const lb = region.loadBalancersV2.get(arn);
  if (!lb) throw loadBalancerNotFound();
  return lb;
}

export function findTargetGroup(region: RegionState, arn: string): TargetGroup {
  const tg = region.targetGroups.get(arn);
  if (!tg) throw targetGroupNotFound();
  return tg;
}

export function findListener(
  region: RegionState,
  arn: string,
): { lb: LoadBalancerV2; listener: LoadBalancerV2["listeners"][number] } {
  for (const lb of region.loadBalancersV2.values()) {
    const listener = lb.listeners.find((l) => l.listenerArn === arn);
    if (listener) return { lb, listener };
  }
  throw listenerNotFound();
}

/** The availability zones a target group receives traffic in: those of the load balancers forwarding to it. */
export function targetGroupZones(region: RegionState, tg: TargetGroup): Set<string> {
  const zones = new Set<string>();
  for (const arn of tg.loadBalancerArns)
    for (const az of region.loadBalancersV2.get(arn)?.availabilityZones ?? []) zones.add(az.zoneName);
  return zones;
}
