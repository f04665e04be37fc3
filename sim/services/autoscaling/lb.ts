// Registering members with the group's load balancers and target groups through the load
// balancers' internal hooks; skipped while no load balancer service is registered.
import type { Sim } from "../../runtime.js";
import type { RegionState } from "../../state/store.js";
import type { AutoScalingGroup } from "../../state/types.js";

type Target = { loadBalancerName?: string; targetGroupArn?: string };

export function groupTargets(group: AutoScalingGroup): Target[] {
  return [
    ...group.loadBalancerNames.map((loadBalancerName) => ({ loadBalancerName })),
    ...group.targetGroupARNs.map((targetGroupArn) => ({ targetGroupArn })),
  ];
}

export function registerWith(sim: Sim, region: RegionState, targets: Target[], instanceIds: string[]): void {
  const lb = sim.internal.lb;
  if (!lb || instanceIds.length === 0) return;
  for (const target of targets) {
    try {
      lb.registerInstances(region, target, instanceIds);
    } catch (err) {
      // A load balancer deleted under the group: AWS keeps the group and reports it in activities.
      sim.recordError(`autoscaling:register ${describe(target)}`, err);
    }
  }
}

export function deregisterFrom(
  sim: Sim,
  region: RegionState,
  targets: Target[],
  instanceIds: string[],
): void {
  const lb = sim.internal.lb;
  if (!lb || instanceIds.length === 0) return;
  for (const target of targets) {
    try {
      lb.deregisterInstances(region, target, instanceIds);
    } catch (err) {
      sim.recordError(`autoscaling:deregister ${describe(target)}`, err);
    }
  }
}

/** False when some attached load balancer or target group reports the instance unhealthy. */
export function healthyInAllTargets(
  sim: Sim,
  region: RegionState,
  group: AutoScalingGroup,
  instanceId: string,
): boolean {
  const lb = sim.internal.lb;
  if (!lb) return true;
  return groupTargets(group).every((target) => {
    try {
      return lb.isHealthy(region, target, instanceId);
    } catch {
      return true;
    }
  });
}

function describe(target: Target): string {
  return target.loadBalancerName ?? target.targetGroupArn ?? "?";
}
