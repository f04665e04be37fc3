// Attaching the release volume here: a free device name, AttachVolume, a wait until EC2 says
// attached to this instance, and DeleteOnTermination so the volume goes with the instance.
import {
  AttachVolumeCommand,
  DescribeInstancesCommand,
  ModifyInstanceAttributeCommand,
} from "@aws-sdk/client-ec2";
import { AsgReleaseError } from "#shared/errors.js";
import { poll } from "#shared/poll.js";
import { awsCode, awsSend } from "#shared/aws/call.js";
import type { InstanceContext } from "../context.js";
import { describeVolume, volumeWait } from "./volume-ops.js";
import { freeDeviceName, type VolumeView } from "./volume-plan.js";

export async function attach(
  ctx: InstanceContext,
  volumeId: string,
  ours: VolumeView[],
): Promise<VolumeView> {
  const taken = await takenDeviceNames(ctx, ours);
  for (let tries = 0; tries < 3; tries++) {
    const device = ctx.config.volume.device ?? freeDeviceName(taken);
    if (!device) throw new AsgReleaseError("no free attachment device name from /dev/sdf to /dev/sdp");
    try {
      await awsSend(
        ctx.aws.ec2,
        new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: ctx.identity.instanceId, Device: device }),
        { volumeId, device },
        { abortSignal: ctx.signal },
      );
      return (await describeVolume(ctx, volumeId)) ?? { volumeId, state: "in-use" };
    } catch (err) {
      // Someone else took the name between our look and our call: take the next one.
      if (
        awsCode(err) === "InvalidParameterValue" &&
        !ctx.config.volume.device &&
        /in use/i.test(String(err))
      ) {
        taken.push(device);
        continue;
      }
      throw err;
    }
  }
  throw new AsgReleaseError(`could not find a free device name to attach ${volumeId}`);
}

async function takenDeviceNames(ctx: InstanceContext, ours: VolumeView[]): Promise<string[]> {
  const instanceId = ctx.identity.instanceId;
  const out = await awsSend(
    ctx.aws.ec2,
    new DescribeInstancesCommand({ InstanceIds: [instanceId] }),
    { instanceId },
    { abortSignal: ctx.signal },
  );
  const instance = out.Reservations?.[0]?.Instances?.[0];
  const names = (instance?.BlockDeviceMappings ?? []).map((m) => m.DeviceName ?? "");
  for (const v of ours)
    if (v.attachment?.instanceId === ctx.identity.instanceId) names.push(v.attachment.device);
  if (instance?.RootDeviceName) names.push(instance.RootDeviceName);
  return names.filter(Boolean);
}

export async function waitAttached(ctx: InstanceContext, volumeId: string): Promise<VolumeView> {
  return poll<VolumeView>(
    async () => {
      const v = await describeVolume(ctx, volumeId);
      if (!v) return { state: "FAILURE", reason: "the volume no longer exists" };
      const a = v.attachment;
      if (a && a.instanceId !== ctx.identity.instanceId) {
        return { state: "FAILURE", reason: `attached to ${a.instanceId}, not to this instance` };
      }
      if (a?.state === "attached") return { state: "SUCCESS", value: v };
      return { state: "RETRY", reason: a ? `attachment ${a.state}` : `volume ${v.state}` };
    },
    volumeWait(ctx, `${volumeId} attached to ${ctx.identity.instanceId}`, volumeId),
  );
}

/** So the volume goes with the instance: terminating it leaves nothing behind. */
export async function setDeleteOnTermination(
  ctx: InstanceContext,
  volumeId: string,
  device: string,
): Promise<void> {
  await awsSend(
    ctx.aws.ec2,
    new ModifyInstanceAttributeCommand({
      InstanceId: ctx.identity.instanceId,
      BlockDeviceMappings: [{ DeviceName: device, Ebs: { VolumeId: volumeId, DeleteOnTermination: true } }],
    }),
    { instanceId: ctx.identity.instanceId, volumeId, device },
    { abortSignal: ctx.signal },
  );
}
