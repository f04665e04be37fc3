// The end of a boot, told to everyone who waits for it: systemd (READY=1 through systemd-notify,
// since node cannot send a unix datagram), the launch lifecycle hook, and the instance's release tag.
import { systemdNotifyArgv } from "#shared/proc/argv/systemd-notify.js";
import { CreateTagsCommand } from "@aws-sdk/client-ec2";
import { messageOf } from "#shared/errors.js";
import { RELEASE_ID_TAG } from "#shared/release/tags.js";
import { awsSend } from "#shared/aws/call.js";
import type { AgentContext, InstanceContext } from "../context.js";
import { completeLaunchHook, findLaunchHook } from "./lifecycle.js";

export type LifecycleReport = "none" | "CONTINUE" | "ABANDON" | "already completed";

/** Tells systemd; a no-op outside a Type=notify unit. */
export async function notifySystemd(
  ctx: Pick<AgentContext, "run" | "notifySocket">,
  fields: { ready?: boolean; status: string },
): Promise<void> {
  if (!ctx.notifySocket) return;
  await ctx.run(systemdNotifyArgv(fields), { timeoutMs: 10_000, env: { NOTIFY_SOCKET: ctx.notifySocket } });
}

export async function tagRelease(ctx: InstanceContext, releaseId: string): Promise<void> {
  await awsSend(
    ctx.aws.ec2,
    new CreateTagsCommand({
      Resources: [ctx.identity.instanceId],
      Tags: [{ Key: RELEASE_ID_TAG, Value: releaseId }],
    }),
    { instanceId: ctx.identity.instanceId },
    { abortSignal: ctx.signal },
  );
}

export async function reportReady(ctx: InstanceContext, releaseId: string): Promise<LifecycleReport> {
  await tagRelease(ctx, releaseId);
  let lifecycle: LifecycleReport = "none";
  const held = ctx.config.lifecycle.complete ? await findLaunchHook(ctx) : undefined;
  if (held)
    lifecycle =
      (await completeLaunchHook(ctx, held, "CONTINUE")) === "completed" ? "CONTINUE" : "already completed";
  await notifySystemd(ctx, { ready: true, status: `release ${releaseId} ready` });
  return lifecycle;
}

/** Best effort: the failure itself is what matters, so errors here are only logged. */
export async function reportFailed(ctx: InstanceContext, reason: string): Promise<LifecycleReport> {
  let lifecycle: LifecycleReport = "none";
  try {
    const held = ctx.config.lifecycle.complete ? await findLaunchHook(ctx) : undefined;
    if (held && (await completeLaunchHook(ctx, held, "ABANDON")) === "completed") lifecycle = "ABANDON";
  } catch (err) {
    ctx.log.error({ err: messageOf(err) }, "could not abandon the launch lifecycle action");
  }
  await notifySystemd(ctx, { status: `failed: ${reason}` }).catch(() => undefined);
  return lifecycle;
}
