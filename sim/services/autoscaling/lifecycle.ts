// A member's way through the group's lifecycle: lifecycle actions held by hooks, their results,
// and the start of a termination. Shared by the operations and the reconcile loop.
import { randomUUID } from "node:crypto";
import type { Sim } from "../../runtime.js";
import type { RegionState } from "../../state/store.js";
import type { AsgMember, AutoScalingGroup, LifecycleAction, LifecycleHook } from "../../state/types.js";
import { startActivity, updateActivity } from "./activities.js";
import { causeTime } from "./causes.js";
import { deregisterFrom, groupTargets } from "./lb.js";
import { announceTargetState } from "./target-lifecycle-state.js";

export const LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING";
export const TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING";

export function hooksFor(group: AutoScalingGroup, transition: string): LifecycleHook[] {
  return group.lifecycleHooks.filter((h) => h.lifecycleTransition === transition);
}

/** One action per hook, each with its token and deadlines (heartbeat, and the global timeout). */
export function openActions(hooks: LifecycleHook[], now: Date): LifecycleAction[] {
  return hooks.map((hook) => ({
    hookName: hook.lifecycleHookName,
    token: randomUUID(),
    heartbeatDeadline: new Date(now.getTime() + hook.heartbeatTimeout * 1000),
    globalDeadline: new Date(now.getTime() + hook.globalTimeout * 1000),
  }));
}

export interface Terminate {
  /** The activity cause. */
  cause: string;
  /** Run the group's termination hooks (not when the instance is already gone). */
  runHooks: boolean;
}

/** Takes a member out of service: off the load balancers, then Terminating:Wait or :Proceed. */
export function beginTermination(
  sim: Sim,
  region: RegionState,
  group: AutoScalingGroup,
  member: AsgMember,
  how: Terminate,
): void {
  const now = sim.clock.now();
  deregisterFrom(sim, region, groupTargets(group), [member.instanceId]);
  announceTargetState(sim, region, member.instanceId, "Terminated");
  const subnetId = region.instances.get(member.instanceId)?.subnetId;
  const activity = startActivity(group, now, {
    description: `Terminating EC2 instance: ${member.instanceId}`,
    cause: how.cause,
    details: {
      ...(subnetId ? { "Subnet ID": subnetId } : {}),
      "Availability Zone": member.availabilityZone,
    },
  });
  member.activityId = activity.activityId;
  member.lifecycleState = "Terminating";
  const hooks = how.runHooks ? hooksFor(group, TERMINATING) : [];
  if (hooks.length) {
    member.lifecycleState = "Terminating:Wait";
    member.lifecycleActions = openActions(hooks, now);
    updateActivity(group, activity.activityId, now, "MidLifecycleAction");
  } else {
    member.lifecycleState = "Terminating:Proceed";
    member.lifecycleActions = undefined;
  }
}

/**
 * Records a result for one action and moves the member on once its actions are settled:
 * launching -> Pending:Proceed (all CONTINUE) or abandoned; terminating -> Terminating:Proceed.
 */
export function completeAction(
  sim: Sim,
  region: RegionState,
  group: AutoScalingGroup,
  member: AsgMember,
  action: LifecycleAction,
  result: "CONTINUE" | "ABANDON",
  endedBy: "user" | "timeout",
): void {
  action.result = result;
  action.endedBy = endedBy;
  const actions = member.lifecycleActions ?? [];
  const now = sim.clock.now();
  if (member.lifecycleState === "Pending:Wait") {
    if (result === "ABANDON") {
      const reason =
        endedBy === "user" ? "Lifecycle Action Completed with ABANDON Result" : "Heartbeat Timeout";
      updateActivity(
        group,
        member.activityId,
        now,
        "Cancelled",
        `Instance failed to complete user's Lifecycle Action: Lifecycle Action with token ${action.token} was abandoned: ${reason}`,
      );
      member.lifecycleActions = undefined;
      member.healthStatus = "Unhealthy";
      beginTermination(sim, region, group, member, {
        cause: `At ${causeTime(now)} an instance was taken out of service in response to a launch lifecycle action being abandoned.`,
        runHooks: false,
      });
    } else if (actions.every((a) => a.result === "CONTINUE")) {
      member.lifecycleActions = undefined;
      member.lifecycleState = "Pending:Proceed";
    }
  } else if (member.lifecycleState === "Terminating:Wait") {
    if (result === "ABANDON" || actions.every((a) => a.result !== undefined)) {
      member.lifecycleActions = undefined;
      member.lifecycleState = "Terminating:Proceed";
      updateActivity(group, member.activityId, now, "InProgress");
    }
  }
}

/** The member's pending action matching a token or an instance id, for CompleteLifecycleAction and heartbeats. */
export function pendingAction(
  member: AsgMember,
  hookName: string,
  token: string | undefined,
): LifecycleAction | undefined {
  return member.lifecycleActions?.find(
    (a) => a.hookName === hookName && a.result === undefined && (token === undefined || a.token === token),
  );
}
