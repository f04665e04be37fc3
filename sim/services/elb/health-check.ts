// ConfigureHealthCheck: the target, interval, timeout and thresholds of a classic load balancer.
// Changing them restarts each instance's prober with the new interval.
import { SimError } from "../../api/errors.js";
import { parseClassicTarget } from "../health/classic-target.js";
import { readCount, readSeconds } from "../health/seconds.js";
import type { OpHandler } from "../types.js";
import { findLoadBalancer, validation } from "./errors.js";
import { startInstanceProbing } from "./instance-health.js";

export const configureHealthCheck: OpHandler = ({ sim, region, params }) => {
  const lb = findLoadBalancer(region, params.req("LoadBalancerName"));
  const hc = params.obj("HealthCheck");
  if (!hc) throw validation("HealthCheck must be specified");
  const target = hc.req("Target");
  parseClassicTarget(target);
  const need = <T>(v: T | undefined, name: string): T => {
    if (v === undefined) throw new SimError("ValidationError", `HealthCheck.${name} must be specified`);
    return v;
  };
  const next = {
    target,
    interval: need(readSeconds(hc, "Interval"), "Interval"),
    timeout: need(readSeconds(hc, "Timeout"), "Timeout"),
    unhealthyThreshold: need(readCount(hc, "UnhealthyThreshold"), "UnhealthyThreshold"),
    healthyThreshold: need(readCount(hc, "HealthyThreshold"), "HealthyThreshold"),
  };
  if (next.timeout >= next.interval) throw validation("Interval must be greater than the timeout");
  lb.healthCheck = next;
  for (const id of Object.keys(lb.instances))
    if (!lb.instances[id]?.drainUntil) startInstanceProbing(sim, region, lb, id);
  return {
    HealthCheck: {
      Target: next.target,
      Interval: next.interval,
      Timeout: next.timeout,
      UnhealthyThreshold: next.unhealthyThreshold,
      HealthyThreshold: next.healthyThreshold,
    },
  };
};
