// CompleteLifecycleAction and RecordLifecycleActionHeartbeat: a caller (the boot agent, an
// operator) ends or extends the lifecycle action holding an instance, by token or instance id.
import { validationError } from "../../api/errors.js";
import type { ParamReader } from "../../api/params.js";
import type { RegionState } from "../../state/store.js";
import type { AsgMember, AutoScalingGroup, LifecycleAction } from "../../state/types.js";
import type { OpHandler } from "../types.js";
import { requiredParam } from "./errors.js";
import { completeAction, pendingAction } from "./lifecycle.js";
import { noSuchHook } from "./lifecycle-hooks.js";
import { requireGroup } from "./lookup.js";

interface Held {
  group: AutoScalingGroup;
  member: AsgMember;
  action: LifecycleAction;
}

function findHeld(region: RegionState, params: ParamReader, now: Date): Held {
  const group = requireGroup(
    region,
    requiredParam(params.str("AutoScalingGroupName"), "AutoScalingGroupName"),
  );
  const hookName = requiredParam(params.str("LifecycleHookName"), "LifecycleHookName");
  if (!group.lifecycleHooks.some((h) => h.lifecycleHookName === hookName))
    throw noSuchHook(hookName, group.autoScalingGroupName);
  const token = params.str("LifecycleActionToken");
  const instanceId = params.str("InstanceId");
  if (token === undefined && instanceId === undefined)
    throw validationError("Either LifecycleActionToken or InstanceId must be specified.");
  for (const member of group.members) {
    if (instanceId !== undefined && member.instanceId !== instanceId) continue;
    const action = pendingAction(member, hookName, token);
    if (action && action.globalDeadline > now) return { group, member, action };
  }
  throw validationError(
    token !== undefined
      ? `No active Lifecycle Action found with token ${token}`
      : `No active Lifecycle Action found with instance ID ${instanceId}`,
  );
}

export const completeLifecycleAction: OpHandler = ({ sim, region, params }) => {
  const result = requiredParam(params.str("LifecycleActionResult"), "LifecycleActionResult");
  if (result !== "CONTINUE" && result !== "ABANDON")
    throw validationError(
      `Invalid Lifecycle Action Result: ${result}. Valid values are CONTINUE and ABANDON.`,
    );
  const held = findHeld(region, params, sim.clock.now());
  completeAction(sim, region, held.group, held.member, held.action, result, "user");
  return {};
};

export const recordLifecycleActionHeartbeat: OpHandler = ({ sim, region, params }) => {
  const now = sim.clock.now();
  const { group, action } = findHeld(region, params, now);
  const hook = group.lifecycleHooks.find((h) => h.lifecycleHookName === action.hookName);
  const extended = now.getTime() + (hook?.heartbeatTimeout ?? 3600) * 1000;
  action.heartbeatDeadline = new Date(Math.min(extended, action.globalDeadline.getTime()));
  return {};
};
