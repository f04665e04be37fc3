// Health of ELBv2 targets: one prober per registered target on the sim clock, and the state
// DescribeTargetHealth reports. A target is only checked while its instance runs, its group is forwarded to
// by a listener and its zone is enabled on that load balancer; otherwise it is `unused`, as
// docs/spec/deploy.md#lb-zones warns for zones the group does not cover. State names, reason codes and
// descriptions are those of the ELB user guide ("Health checks for your target groups").
import type { Sim } from "../../runtime.js";
import type { RegionState } from "../../state/store.js";
import type { TargetGroup, TargetHealth } from "../../state/types.js";
import { parseMatcher } from "../health/matcher.js";
import { healthMonitor } from "../health/monitor.js";
import type { ProbeResult } from "../health/probe.js";
import { countProbe } from "../health/thresholds.js";
import { targetGroupZones } from "./lookup.js";
import { targetHost, targetKey, type Target } from "./target-host.js";

export type HealthView = {
  State: string;
  Reason?: string;
  Description?: string;
};

const proberKey = (tg: TargetGroup, target: Target): string =>
  `elbv2 ${tg.targetGroupArn} ${targetKey(target.id, target.port)}`;

export function freshHealth(): TargetHealth {
  return {
    state: "initial",
    reasonCode: "Elb.RegistrationInProgress",
    description: "Target registration is in progress",
    consecutiveOk: 0,
    consecutiveFail: 0,
  };
}

/** Starts (or restarts, after the settings changed) the prober of one target. */
export function startProbing(sim: Sim, region: RegionState, tg: TargetGroup, target: Target): void {
  const key = proberKey(tg, target);
  healthMonitor(sim).watch(key, tg.healthCheck.intervalSeconds * 1000, () =>
    tick(sim, region, tg, target, key),
  );
}

export function restartProbing(sim: Sim, region: RegionState, tg: TargetGroup): void {
  for (const target of Object.values(tg.targets))
    if (!target.health.drainUntil) startProbing(sim, region, tg, target);
}

export function stopProbing(sim: Sim, tg: TargetGroup, target?: Target): void {
  const monitor = healthMonitor(sim);
  if (target) monitor.unwatch(proberKey(tg, target));
  else monitor.unwatchPrefix(`elbv2 ${tg.targetGroupArn} `);
}

/** Why a target is not checked right now, as DescribeTargetHealth words it; undefined when it is. */
export function notChecked(region: RegionState, tg: TargetGroup, target: Target): HealthView | undefined {
  if (target.health.drainUntil)
    return {
      State: "draining",
      Reason: "Target.DeregistrationInProgress",
      Description: "Target deregistration is in progress",
    };
  const { state, availabilityZone } = targetHost(region, tg, target);
  if (state === undefined || state === "terminated" || state === "shutting-down")
    return {
      State: "unused",
      Reason: "Target.InvalidState",
      Description: "Target is in the terminated state",
    };
  if (state === "stopped" || state === "stopping")
    return { State: "unused", Reason: "Target.InvalidState", Description: "Target is in the stopped state" };
  if (tg.loadBalancerArns.length === 0)
    return {
      State: "unused",
      Reason: "Target.NotInUse",
      Description: "Target group is not configured to receive traffic from the load balancer",
    };
  if (availabilityZone !== undefined && !targetGroupZones(region, tg).has(availabilityZone))
    return {
      State: "unused",
      Reason: "Target.NotInUse",
      Description: "Target is in an Availability Zone that is not enabled for the load balancer",
    };
  if (!tg.healthCheck.enabled)
    return {
      State: "unavailable",
      Reason: "Target.HealthCheckDisabled",
      Description: "Health checks are disabled",
    };
  if (state === "pending")
    return {
      State: "initial",
      Reason: "Elb.RegistrationInProgress",
      Description: "Target registration is in progress",
    };
  return undefined;
}

export function healthView(region: RegionState, tg: TargetGroup, target: Target): HealthView {
  const h = target.health;
  return (
    notChecked(region, tg, target) ?? { State: h.state, Reason: h.reasonCode, Description: h.description }
  );
}

function tick(sim: Sim, region: RegionState, tg: TargetGroup, target: Target, key: string): void {
  const monitor = healthMonitor(sim);
  const current = region.targetGroups.get(tg.targetGroupArn)?.targets[targetKey(target.id, target.port)];
  if (current !== target || target.health.drainUntil) return monitor.unwatch(key);
  // A terminated instance is deregistered by the load balancer itself.
  const { host, state } = targetHost(region, tg, target);
  if (state === undefined || state === "terminated") return beginDeregistration(sim, region, tg, target);
  if (notChecked(region, tg, target)) {
    // Not checked: when it is again, it starts over from registration, as a new target would.
    if (target.health.consecutiveOk + target.health.consecutiveFail > 0 || target.health.state !== "initial")
      target.health = freshHealth();
    return;
  }
  const hc = tg.healthCheck;
  // HTTPS checks connect only: the sim's hosts serve no TLS of their own.
  const http = hc.protocol === "HTTP";
  monitor.check(
    key,
    host,
    {
      port: hc.port === "traffic-port" ? target.port : Number(hc.port),
      path: http ? hc.path : undefined,
      timeoutMs: hc.timeoutSeconds * 1000,
      accepts: parseMatcher(hc.matcher),
      userAgent: "ELB-HealthChecker/2.0",
    },
    (result) => {
      if (region.targetGroups.get(tg.targetGroupArn)?.targets[targetKey(target.id, target.port)] !== target)
        return;
      if (target.health.drainUntil) return;
      record(tg, target.health, result);
    },
  );
}

// A newly registered target turns healthy after one passing check ("After your target is
// registered, it must pass one health check to be considered healthy"); after that the
// thresholds apply in both directions.
function record(tg: TargetGroup, h: TargetHealth, result: ProbeResult): void {
  const initial = h.state === "initial";
  const verdict = countProbe(h, result.ok, {
    healthy: initial ? 1 : tg.healthCheck.healthyThresholdCount,
    unhealthy: tg.healthCheck.unhealthyThresholdCount,
  });
  if (verdict === "healthy") {
    Object.assign(h, { state: "healthy", reasonCode: undefined, description: undefined });
  } else if (verdict === "unhealthy" || (h.state === "unhealthy" && !result.ok)) {
    Object.assign(h, { state: "unhealthy", ...failure(tg, result) });
  } else if (initial) {
    Object.assign(h, {
      reasonCode: "Elb.InitialHealthChecking",
      description: "Initial health checks in progress",
    });
  }
}

function failure(tg: TargetGroup, result: ProbeResult): { reasonCode: string; description: string } {
  const alb = tg.protocol === "HTTP" || tg.protocol === "HTTPS";
  if (!result.ok && result.kind === "code")
    return {
      reasonCode: "Target.ResponseCodeMismatch",
      description: `Health checks failed with these codes: [${result.code}]`,
    };
  // Target.Timeout applies only to Application Load Balancers; network ones report failed checks.
  if (!result.ok && result.kind === "timeout" && alb)
    return { reasonCode: "Target.Timeout", description: "Request timed out" };
  return { reasonCode: "Target.FailedHealthChecks", description: "Health checks failed" };
}

/**
 * Deregisters a target: it drains for the group's deregistration delay (sim clock) and then leaves.
 * A group no load balancer uses has nothing to drain, so its targets leave at once.
 */
export function beginDeregistration(sim: Sim, region: RegionState, tg: TargetGroup, target: Target): void {
  const key = targetKey(target.id, target.port);
  stopProbing(sim, tg, target);
  if (target.health.drainUntil) return;
  const delayMs = tg.deregistrationDelaySeconds * 1000;
  if (delayMs === 0 || tg.loadBalancerArns.length === 0) {
    delete tg.targets[key];
    return;
  }
  const until = new Date(sim.clock.nowMs() + delayMs);
  target.health.drainUntil = until;
  sim.clock.after(delayMs, "elbv2 deregistration", () => {
    if (tg.targets[key] === target && target.health.drainUntil === until) delete tg.targets[key];
  });
}
