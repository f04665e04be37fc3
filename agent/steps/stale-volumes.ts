// After a catch-up the previous release volume is no longer mounted: detach it and delete it, so an
// instance never holds more than one. Best effort: a failure here is reported, not fatal, because the
// service already runs on the new volume and DeleteOnTermination removes the old one with the instance.
import { DeleteVolumeCommand, DescribeVolumesCommand, DetachVolumeCommand } from "@aws-sdk/client-ec2";
import { AsgReleaseError, messageOf } from "#shared/errors.js";
import { field } from "#shared/log.js";
import { poll } from "#shared/poll.js";
import { awsSend } from "#shared/aws/call.js";
import type { InstanceContext } from "../context.js";
import { lookForDevice } from "./device.js";
import { readMounts } from "./observe-mount.js";
import { volumeGone, volumeWait } from "./volume-ops.js";
import type { VolumeView } from "./volume-plan.js";

export interface StaleOutcome {
  deleted: string[];
  left: { volumeId: string; reason: string }[];
}

export async function releaseStaleVolumes(
  ctx: InstanceContext,
  stale: readonly VolumeView[],
): Promise<StaleOutcome> {
  const outcome: StaleOutcome = { deleted: [], left: [] };
  for (const v of stale) {
    try {
      await releaseOne(ctx, v);
      outcome.deleted.push(v.volumeId);
      ctx.log.info(
        { [field.volumeId]: v.volumeId, [field.releaseId]: v.releaseId },
        "deleted the old release volume",
      );
    } catch (err) {
      outcome.left.push({ volumeId: v.volumeId, reason: messageOf(err) });
      ctx.log.warn(
        { [field.volumeId]: v.volumeId, err: messageOf(err) },
        "could not delete an old release volume",
      );
    }
  }
  return outcome;
}

async function releaseOne(ctx: InstanceContext, v: VolumeView): Promise<void> {
  const here = v.attachment?.instanceId === ctx.identity.instanceId;
  if (here) {
    const device = await lookForDevice(ctx, v.volumeId, v.attachment?.device);
    const mounts = await readMounts(ctx);
    const where = device && mounts.find((m) => m.majorMinor === device.majorMinor);
    // Never pull a volume out from under a mounted filesystem.
    if (where) {
      throw new AsgReleaseError(`still mounted at ${where.mountPoint}`, {
        code: "VolumeMounted",
        context: { volumeId: v.volumeId, mountPoint: where.mountPoint },
      });
    }
    // IncorrectState: it is detaching or detached already.
    await awsSend(
      ctx.aws.ec2,
      new DetachVolumeCommand({ VolumeId: v.volumeId, InstanceId: ctx.identity.instanceId }),
      { volumeId: v.volumeId },
      { abortSignal: ctx.signal, alreadyDone: (code) => code === "IncorrectState" },
    );
  }
  if (here || v.state === "creating" || v.state === "in-use") await waitDetached(ctx, v.volumeId);
  await awsSend(
    ctx.aws.ec2,
    new DeleteVolumeCommand({ VolumeId: v.volumeId }),
    { volumeId: v.volumeId },
    { abortSignal: ctx.signal, alreadyDone: volumeGone },
  );
}

async function waitDetached(ctx: InstanceContext, volumeId: string): Promise<void> {
  await poll(
    async () => {
      const out = await awsSend(
        ctx.aws.ec2,
        new DescribeVolumesCommand({ VolumeIds: [volumeId] }),
        { volumeId },
        { abortSignal: ctx.signal, alreadyDone: volumeGone },
      );
      const state = out?.Volumes?.[0]?.State;
      if (state === undefined || state === "available" || state === "deleting" || state === "deleted") {
        return { state: "SUCCESS", value: undefined };
      }
      if (state === "error") return { state: "SUCCESS", value: undefined };
      return { state: "RETRY", reason: state };
    },
    volumeWait(ctx, `${volumeId} detached`, volumeId),
  );
}
