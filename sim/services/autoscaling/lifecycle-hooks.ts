// PutLifecycleHook, DescribeLifecycleHooks, DeleteLifecycleHook, and the hook record shared with
// CreateAutoScalingGroup's LifecycleHookSpecificationList.
import { SimError, validationError } from "../../api/errors.js";
import type { ParamReader } from "../../api/params.js";
import type { LifecycleHook } from "../../state/types.js";
import type { OpHandler } from "../types.js";
import { requiredParam } from "./errors.js";
import { completeAction, LAUNCHING, TERMINATING } from "./lifecycle.js";
import { requireLiveGroup, requireGroup } from "./lookup.js";
import { hookShape } from "./shapes.js";

const MAX_HOOKS = 50;
/** AWS caps the global timeout at 48 hours, or 100 heartbeat timeouts if that is less. */
const MAX_GLOBAL_TIMEOUT = 172_800;

/** A new hook from the request's fields, or `existing` with the fields the request changes. */
export function buildHook(groupName: string, p: ParamReader, existing?: LifecycleHook): LifecycleHook {
  const name = requiredParam(p.str("LifecycleHookName"), "LifecycleHookName");
  const transition = p.str("LifecycleTransition") ?? existing?.lifecycleTransition;
  if (transition === undefined)
    throw validationError("LifecycleTransition must be specified when creating a lifecycle hook.");
  if (transition !== LAUNCHING && transition !== TERMINATING)
    throw validationError(`Invalid Lifecycle Transition: ${transition}`);
  const heartbeat = p.int("HeartbeatTimeout") ?? existing?.heartbeatTimeout ?? 3600;
  if (heartbeat < 30 || heartbeat > 7200)
    throw validationError(
      `Heartbeat timeout ${heartbeat} is out of range. It must be between 30 and 7200 seconds.`,
    );
  const defaultResult = p.str("DefaultResult") ?? existing?.defaultResult ?? "ABANDON";
  if (defaultResult !== "CONTINUE" && defaultResult !== "ABANDON")
    throw validationError(
      `Invalid Lifecycle Action Result: ${defaultResult}. Valid values are CONTINUE and ABANDON.`,
    );
  return {
    lifecycleHookName: name,
    autoScalingGroupName: groupName,
    lifecycleTransition: transition,
    heartbeatTimeout: heartbeat,
    globalTimeout: Math.min(100 * heartbeat, MAX_GLOBAL_TIMEOUT),
    defaultResult,
    notificationMetadata: p.str("NotificationMetadata") ?? existing?.notificationMetadata,
    notificationTargetARN: p.str("NotificationTargetARN") ?? existing?.notificationTargetARN,
    roleARN: p.str("RoleARN") ?? existing?.roleARN,
  };
}

export const putLifecycleHook: OpHandler = ({ region, params }) => {
  const group = requireLiveGroup(
    region,
    requiredParam(params.str("AutoScalingGroupName"), "AutoScalingGroupName"),
  );
  const name = requiredParam(params.str("LifecycleHookName"), "LifecycleHookName");
  const index = group.lifecycleHooks.findIndex((h) => h.lifecycleHookName === name);
  const hook = buildHook(group.autoScalingGroupName, params, group.lifecycleHooks[index]);
  if (index >= 0) group.lifecycleHooks[index] = hook;
  else {
    if (group.lifecycleHooks.length >= MAX_HOOKS)
      throw new SimError(
        "LimitExceeded",
        `Unable to create lifecycle hook ${name}. The maximum number of lifecycle hooks (${MAX_HOOKS}) has been reached for group ${group.autoScalingGroupName}.`,
      );
    group.lifecycleHooks.push(hook);
  }
  return {};
};

export const describeLifecycleHooks: OpHandler = ({ region, params }) => {
  const group = requireGroup(
    region,
    requiredParam(params.str("AutoScalingGroupName"), "AutoScalingGroupName"),
  );
  const names = params.strings("LifecycleHookNames");
  return {
    LifecycleHooks: group.lifecycleHooks
      .filter((h) => names.length === 0 || names.includes(h.lifecycleHookName))
      .map(hookShape),
  };
};

export const deleteLifecycleHook: OpHandler = ({ sim, region, params }) => {
  const group = requireGroup(
    region,
    requiredParam(params.str("AutoScalingGroupName"), "AutoScalingGroupName"),
  );
  const name = requiredParam(params.str("LifecycleHookName"), "LifecycleHookName");
  const hook = group.lifecycleHooks.find((h) => h.lifecycleHookName === name);
  if (!hook) throw noSuchHook(name, group.autoScalingGroupName);
  group.lifecycleHooks = group.lifecycleHooks.filter((h) => h !== hook);
  // Outstanding actions of a deleted hook complete: ABANDON for launches, CONTINUE for terminations.
  const result = hook.lifecycleTransition === LAUNCHING ? "ABANDON" : "CONTINUE";
  for (const member of [...group.members]) {
    const action = member.lifecycleActions?.find((a) => a.hookName === name && a.result === undefined);
    if (action) completeAction(sim, region, group, member, action, result, "user");
  }
  return {};
};

export function noSuchHook(name: string, groupName: string): SimError {
  return validationError(`No Lifecycle Hook found with name ${name} for group ${groupName}`);
}
