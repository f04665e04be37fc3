// The EC2 reads of the volume step: the volumes made for this instance, one volume by id, and how
// long and how often a wait on a volume polls.
import { DescribeVolumesCommand, type Volume } from "@aws-sdk/client-ec2";
import { INSTANCE_ID_TAG, MANAGED_BY_AGENT, MANAGED_BY_TAG, RELEASE_ID_TAG } from "#shared/release/tags.js";
import { awsSend } from "#shared/aws/call.js";
import { tagMap } from "#shared/aws/tags.js";
import type { PollOptions } from "#shared/poll.js";
import type { InstanceContext } from "../context.js";
import type { VolumeView } from "./volume-plan.js";

/** A wait on volume `volumeId` ("what" is awaited): up to volume.timeout, polling from 0.5 s to 5 s. */
export function volumeWait(ctx: InstanceContext, what: string, volumeId: string): PollOptions {
  return {
    what,
    maxWaitMs: ctx.config.volume.timeout * 1000,
    minDelayMs: 500,
    maxDelayMs: 5000,
    clock: ctx.clock,
    signal: ctx.signal,
    context: { volumeId },
  };
}

export function toView(v: Volume): VolumeView {
  const releaseId = tagMap(v.Tags)[RELEASE_ID_TAG];
  const a = v.Attachments?.find((x) => x.State !== "detached");
  return {
    volumeId: v.VolumeId ?? "",
    state: v.State ?? "unknown",
    ...(releaseId ? { releaseId } : {}),
    ...(v.CreateTime ? { createTime: v.CreateTime.getTime() } : {}),
    ...(a
      ? {
          attachment: {
            instanceId: a.InstanceId ?? "",
            device: a.Device ?? "",
            state: a.State ?? "",
            deleteOnTermination: a.DeleteOnTermination ?? false,
          },
        }
      : {}),
  };
}

/** The volume does not exist (any more): a describe finds nothing, a delete has nothing to do. */
export const volumeGone = (code: string) => code === "InvalidVolume.NotFound";

/** Every volume the agent made for this instance (the tags are set atomically by CreateVolume). */
export async function listOurVolumes(ctx: InstanceContext): Promise<VolumeView[]> {
  const views: VolumeView[] = [];
  let token: string | undefined;
  do {
    const out = await awsSend(
      ctx.aws.ec2,
      new DescribeVolumesCommand({
        Filters: [
          { Name: `tag:${INSTANCE_ID_TAG}`, Values: [ctx.identity.instanceId] },
          { Name: `tag:${MANAGED_BY_TAG}`, Values: [MANAGED_BY_AGENT] },
        ],
        NextToken: token,
      }),
      { instanceId: ctx.identity.instanceId },
      { abortSignal: ctx.signal },
    );
    views.push(...(out.Volumes ?? []).map(toView));
    token = out.NextToken;
  } while (token);
  return views;
}

export async function describeVolume(
  ctx: InstanceContext,
  volumeId: string,
): Promise<VolumeView | undefined> {
  const out = await awsSend(
    ctx.aws.ec2,
    new DescribeVolumesCommand({ VolumeIds: [volumeId] }),
    { volumeId },
    { abortSignal: ctx.signal, alreadyDone: volumeGone },
  );
  const v = out?.Volumes?.[0];
  return v ? toView(v) : undefined;
}
