// Health of instances behind a classic load balancer: one prober per registered instance on the
// sim clock, probing its private address with the load balancer's health check target, and the
// InService/OutOfService view DescribeInstanceHealth gives.
import type { Sim } from "../../runtime.js";
import type { RegionState } from "../../state/store.js";
import type { ClassicLoadBalancer, TargetHealth } from "../../state/types.js";
import { parseClassicTarget } from "../health/classic-target.js";
import { classicAccepts } from "../health/matcher.js";
import { healthMonitor } from "../health/monitor.js";
import { countProbe } from "../health/thresholds.js";

export type InstanceState = { State: string; ReasonCode: string; Description: string };

const FAILED = "Instance has failed at least the UnhealthyThreshold number of health checks consecutively.";

const proberKey = (region: RegionState, lb: ClassicLoadBalancer, instanceId?: string): string =>
  `elb ${region.name} ${lb.loadBalancerName} ${instanceId ?? ""}`;

export function freshInstanceHealth(): TargetHealth {
  return {
    state: "OutOfService",
    reasonCode: "ELB",
    description: "Instance registration is still in progress.",
    consecutiveOk: 0,
    consecutiveFail: 0,
  };
}

export function startInstanceProbing(
  sim: Sim,
  region: RegionState,
  lb: ClassicLoadBalancer,
  instanceId: string,
): void {
  const key = proberKey(region, lb, instanceId);
  healthMonitor(sim).watch(key, lb.healthCheck.interval * 1000, () => tick(sim, region, lb, instanceId, key));
}

/** Stops one instance's prober, or all of the load balancer's. */
export function stopInstanceProbing(
  sim: Sim,
  region: RegionState,
  lb: ClassicLoadBalancer,
  instanceId?: string,
): void {
  const monitor = healthMonitor(sim);
  if (instanceId) monitor.unwatch(proberKey(region, lb, instanceId));
  else monitor.unwatchPrefix(proberKey(region, lb));
}

export function notChecked(
  region: RegionState,
  lb: ClassicLoadBalancer,
  instanceId: string,
): InstanceState | undefined {
  const health = lb.instances[instanceId];
  if (health?.drainUntil)
    return {
      State: "InService",
      ReasonCode: "ELB",
      Description: "Instance deregistration currently in progress.",
    };
  const instance = region.instances.get(instanceId);
  const state = instance?.state ?? "terminated";
  if (state !== "running") {
    const shown = state === "shutting-down" ? "terminated" : state === "stopping" ? "stopped" : state;
    return { State: "OutOfService", ReasonCode: "Instance", Description: `Instance is in ${shown} state.` };
  }
  if (!lb.availabilityZones.includes(instance?.availabilityZone ?? ""))
    return {
      State: "OutOfService",
      ReasonCode: "ELB",
      Description:
        "Instance is in an EC2 Availability Zone for which LoadBalancer is not configured to route traffic to.",
    };
  return undefined;
}

export function instanceState(
  region: RegionState,
  lb: ClassicLoadBalancer,
  instanceId: string,
): InstanceState {
  const h = lb.instances[instanceId] ?? freshInstanceHealth();
  return (
    notChecked(region, lb, instanceId) ?? {
      State: h.state,
      ReasonCode: h.reasonCode ?? "N/A",
      Description: h.description ?? "N/A",
    }
  );
}

function tick(sim: Sim, region: RegionState, lb: ClassicLoadBalancer, instanceId: string, key: string): void {
  const monitor = healthMonitor(sim);
  const health = lb.instances[instanceId];
  if (region.loadBalancers.get(lb.loadBalancerName) !== lb || !health || health.drainUntil)
    return monitor.unwatch(key);
  const instance = region.instances.get(instanceId);
  // A terminated instance is deregistered by the load balancer itself.
  if (!instance || instance.state === "terminated") {
    delete lb.instances[instanceId];
    return monitor.unwatch(key);
  }
  if (notChecked(region, lb, instanceId)) {
    if (health.state !== "OutOfService" || health.consecutiveOk + health.consecutiveFail > 0)
      lb.instances[instanceId] = freshInstanceHealth();
    return;
  }
  const target = parseClassicTarget(lb.healthCheck.target);
  monitor.check(
    key,
    instance,
    {
      port: target.port,
      // HTTPS and SSL checks connect only: the sim's hosts serve no TLS of their own.
      path: target.protocol === "HTTP" ? target.path : undefined,
      timeoutMs: lb.healthCheck.timeout * 1000,
      accepts: classicAccepts,
      userAgent: "ELB-HealthChecker/1.0",
    },
    (result) => {
      if (lb.instances[instanceId] !== health || region.loadBalancers.get(lb.loadBalancerName) !== lb) return;
      const verdict = countProbe(health, result.ok, {
        healthy: lb.healthCheck.healthyThreshold,
        unhealthy: lb.healthCheck.unhealthyThreshold,
      });
      if (verdict === "healthy")
        Object.assign(health, { state: "InService", reasonCode: "N/A", description: "N/A" });
      if (verdict === "unhealthy")
        Object.assign(health, { state: "OutOfService", reasonCode: "Instance", description: FAILED });
    },
  );
}

/**
 * Deregisters an instance. With connection draining it stays, reported as deregistering, for the
 * draining timeout (sim clock); without, it leaves at once.
 */
export function deregisterInstance(
  sim: Sim,
  region: RegionState,
  lb: ClassicLoadBalancer,
  instanceId: string,
): void {
  const health = lb.instances[instanceId];
  stopInstanceProbing(sim, region, lb, instanceId);
  if (!health || health.drainUntil) return;
  const draining = lb.attributes.connectionDraining;
  if (!draining.enabled || draining.timeout === 0) {
    delete lb.instances[instanceId];
    return;
  }
  const until = new Date(sim.clock.nowMs() + draining.timeout * 1000);
  health.drainUntil = until;
  sim.clock.after(draining.timeout * 1000, "elb connection draining", () => {
    if (lb.instances[instanceId] === health && health.drainUntil === until) delete lb.instances[instanceId];
  });
}
