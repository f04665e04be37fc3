// The launch lifecycle hook: while the instance is in Pending:Wait, Auto Scaling waits for
// CompleteLifecycleAction. CONTINUE once ready puts it InService; ABANDON on failure makes the group
// replace it instead of sending traffic to an instance without its release.
import {
  CompleteLifecycleActionCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeLifecycleHooksCommand,
} from "@aws-sdk/client-auto-scaling";
import { awsSend } from "#shared/aws/call.js";
import type { InstanceContext } from "../context.js";

export interface HeldBy {
  asg: string;
  hook: string;
}

/**
 * What finding and completing the hook needs: an instance context, or only the instance id and the
 * hook's name when a boot failed before it had a context (agent/early-abandon.ts).
 */
export type HookContext = Pick<InstanceContext, "aws" | "log" | "signal"> & {
  identity: Pick<InstanceContext["identity"], "instanceId">;
  config: { lifecycle: { hook?: string | undefined } };
};

/** The launch hook holding this instance now, if any (warm-pool launches wait in Warmed:Pending:Wait). */
export async function findLaunchHook(ctx: HookContext): Promise<HeldBy | undefined> {
  const instanceId = ctx.identity.instanceId;
  const out = await awsSend(
    ctx.aws.autoscaling,
    new DescribeAutoScalingInstancesCommand({ InstanceIds: [instanceId] }),
    { instanceId },
    { abortSignal: ctx.signal },
  );
  const me = out.AutoScalingInstances?.find((i) => i.InstanceId === instanceId);
  if (!me?.AutoScalingGroupName || !me.LifecycleState?.endsWith("Pending:Wait")) return undefined;
  const asg = me.AutoScalingGroupName;
  if (ctx.config.lifecycle.hook) return { asg, hook: ctx.config.lifecycle.hook };
  const hooks = await awsSend(
    ctx.aws.autoscaling,
    new DescribeLifecycleHooksCommand({ AutoScalingGroupName: asg }),
    { asg },
    { abortSignal: ctx.signal },
  );
  const launch = (hooks.LifecycleHooks ?? []).filter(
    (h) => h.LifecycleTransition === "autoscaling:EC2_INSTANCE_LAUNCHING",
  );
  if (launch.length === 1 && launch[0]?.LifecycleHookName) return { asg, hook: launch[0].LifecycleHookName };
  if (launch.length > 1) {
    // Another system may own the other hooks; completing them would be answering for it.
    ctx.log.warn(
      { asg, hooks: launch.map((h) => h.LifecycleHookName) },
      "several launch hooks hold the instance; set lifecycle.hook to say which one is the agent's",
    );
  }
  return undefined;
}

/** Completes the hook; a hook already completed (by a run killed just after) counts as done. */
export async function completeLaunchHook(
  ctx: HookContext,
  held: HeldBy,
  result: "CONTINUE" | "ABANDON",
): Promise<"completed" | "already completed"> {
  const out = await awsSend(
    ctx.aws.autoscaling,
    new CompleteLifecycleActionCommand({
      AutoScalingGroupName: held.asg,
      LifecycleHookName: held.hook,
      InstanceId: ctx.identity.instanceId,
      LifecycleActionResult: result,
    }),
    { asg: held.asg, hook: held.hook, result },
    (_code, message) => /No active Lifecycle Action found/i.test(message),
  );
  return out ? "completed" : "already completed";
}
