// One look at a group's members: forget those EC2 has terminated, mark the unhealthy, apply
// lifecycle timeouts, and move launching members on to Pending:Wait or InService.
import type { Sim } from "../../../runtime.js";
import type { RegionState } from "../../../state/store.js";
import type { AsgMember, AutoScalingGroup, Instance } from "../../../state/types.js";
import { updateActivity } from "../activities.js";
import { completeAction, hooksFor, LAUNCHING, openActions } from "../lifecycle.js";
import { healthyInAllTargets, groupTargets, registerWith } from "../lb.js";
import { isSuspended } from "../processes.js";

const GONE = new Set(["shutting-down", "terminated", "stopping", "stopped"]);
const ENDED = new Set(["shutting-down", "terminated"]);

/** Not running any more: terminated or stopped outside the group, or forgotten by EC2. */
export function instanceGone(instance: Instance | undefined): boolean {
  return !instance || GONE.has(instance.state);
}

/** Terminating or terminated already: nothing left for the group to terminate. */
export function instanceEnded(instance: Instance | undefined): boolean {
  return !instance || ENDED.has(instance.state);
}

/**
 * Members leave once EC2 reports them terminated: those the group terminated, and those that
 * ended while waiting on a termination hook or standing by (nothing left to wait for).
 */
export function forgetTerminated(sim: Sim, region: RegionState, group: AutoScalingGroup): void {
  const now = sim.clock.now();
  group.members = group.members.filter((m) => {
    const leaving = m.lifecycleState.startsWith("Terminating") || m.lifecycleState === "Standby";
    if (!leaving) return true;
    const instance = region.instances.get(m.instanceId);
    if (instance && instance.state !== "terminated") return true;
    updateActivity(group, m.activityId, now, "Successful");
    return false;
  });
}

function inHealthCheck(m: AsgMember): boolean {
  return m.lifecycleState.startsWith("Pending") || m.lifecycleState === "InService";
}

/** EC2 status for every member; for ELB health checks, the load balancers after the grace period. */
export function checkHealth(sim: Sim, region: RegionState, group: AutoScalingGroup, now: Date): void {
  if (isSuspended(group, "HealthCheck")) return;
  for (const m of group.members) {
    if (!inHealthCheck(m) || m.healthStatus === "Unhealthy") continue;
    if (instanceGone(region.instances.get(m.instanceId))) {
      m.healthStatus = "Unhealthy";
      continue;
    }
    const graceOver =
      m.inServiceAt !== undefined &&
      now.getTime() >= m.inServiceAt.getTime() + group.healthCheckGracePeriod * 1000;
    if (
      group.healthCheckType === "ELB" &&
      m.lifecycleState === "InService" &&
      graceOver &&
      !healthyInAllTargets(sim, region, group, m.instanceId)
    )
      m.healthStatus = "Unhealthy";
  }
}

/** Lifecycle actions past their heartbeat or global deadline take the hook's default result. */
export function expireActions(sim: Sim, region: RegionState, group: AutoScalingGroup, now: Date): void {
  for (const m of [...group.members]) {
    for (const action of m.lifecycleActions ?? []) {
      if (action.result !== undefined) continue;
      if (now < action.heartbeatDeadline && now < action.globalDeadline) continue;
      const hook = group.lifecycleHooks.find((h) => h.lifecycleHookName === action.hookName);
      completeAction(sim, region, group, m, action, hook?.defaultResult ?? "ABANDON", "timeout");
      if (!m.lifecycleActions) break;
    }
  }
}

/** Pending members whose instance runs wait for launch hooks or go in service. */
export function advancePending(sim: Sim, region: RegionState, group: AutoScalingGroup, now: Date): void {
  for (const m of group.members) {
    if (m.healthStatus === "Unhealthy") continue;
    if (m.lifecycleState === "Pending") {
      if (region.instances.get(m.instanceId)?.state !== "running") continue;
      const hooks = hooksFor(group, LAUNCHING);
      if (hooks.length) {
        m.lifecycleState = "Pending:Wait";
        m.lifecycleActions = openActions(hooks, now);
        updateActivity(group, m.activityId, now, "MidLifecycleAction");
        continue;
      }
      goInService(sim, region, group, m, now);
    } else if (m.lifecycleState === "Pending:Proceed") {
      goInService(sim, region, group, m, now);
    }
  }
}

function goInService(sim: Sim, region: RegionState, group: AutoScalingGroup, m: AsgMember, now: Date): void {
  // Instances that come into service while AddToLoadBalancer is suspended stay off the load balancers.
  if (!isSuspended(group, "AddToLoadBalancer"))
    registerWith(sim, region, groupTargets(group), [m.instanceId]);
  m.lifecycleState = "InService";
  m.inServiceAt = now;
  updateActivity(group, m.activityId, now, "Successful");
}
