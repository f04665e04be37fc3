// What the load balancers offer Auto Scaling (`sim.internal.lb`): registering and deregistering
// group members with a classic load balancer or a target group, and the ELB health check verdict.
import type { LbInternal } from "../../runtime.js";
import type { Sim } from "../../runtime.js";
import { findLoadBalancer } from "../elb/errors.js";
import { instanceState, notChecked } from "../elb/instance-health.js";
import { deregisterInstances, registerInstances } from "../elb/instances.js";
import { findTargetGroup } from "../elbv2/lookup.js";
import { healthView } from "../elbv2/target-health.js";
import { deregisterTargets, registerTargets } from "../elbv2/targets.js";

export function loadBalancerInternal(sim: Sim): LbInternal {
  return {
    registerInstances(region, target, instanceIds) {
      if (target.loadBalancerName)
        registerInstances(sim, region, findLoadBalancer(region, target.loadBalancerName), instanceIds);
      if (target.targetGroupArn)
        registerTargets(
          sim,
          region,
          findTargetGroup(region, target.targetGroupArn),
          instanceIds.map((id) => ({ id })),
        );
    },
    deregisterInstances(region, target, instanceIds) {
      if (target.loadBalancerName) {
        const lb = region.loadBalancers.get(target.loadBalancerName);
        if (lb) deregisterInstances(sim, region, lb, instanceIds);
      }
      if (target.targetGroupArn) {
        const tg = region.targetGroups.get(target.targetGroupArn);
        if (tg)
          deregisterTargets(
            sim,
            region,
            tg,
            instanceIds.map((id) => ({ id })),
          );
      }
    },
    // Unhealthy only when the load balancer measured it so: a target still registering, unused
    // (zone not enabled) or draining is not reported unhealthy, as Auto Scaling reads ELB health.
    isHealthy(region, target, instanceId) {
      if (target.loadBalancerName) {
        const lb = region.loadBalancers.get(target.loadBalancerName);
        const health = lb?.instances[instanceId];
        if (lb && health && !notChecked(region, lb, instanceId)) {
          const view = instanceState(region, lb, instanceId);
          if (view.State === "OutOfService" && view.ReasonCode === "Instance") return false;
        }
      }
      if (target.targetGroupArn) {
        const tg = region.targetGroups.get(target.targetGroupArn);
        for (const t of Object.values(tg?.targets ?? {}))
          if (tg && t.id === instanceId && healthView(region, tg, t).State === "unhealthy") return false;
      }
      return true;
    },
  };
}
