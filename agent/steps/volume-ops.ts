// The EC2 calls of the volume step, each one small: list the volumes made for this instance, create
// one (tags and idempotency token in the same call), attach, wait, and set DeleteOnTermination.
import { createHash } from "node:crypto";
import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  ModifyInstanceAttributeCommand,
  waitUntilVolumeAvailable,
  type Volume,
  type VolumeType,
} from "@aws-sdk/client-ec2";
import { AsgReleaseError } from "../../shared/errors.js";
import { poll } from "../../shared/poll.js";
import {
  INSTANCE_ID_TAG,
  MANAGED_BY_AGENT,
  MANAGED_BY_TAG,
  PROJECT_TAG,
  RELEASE_ID_TAG,
} from "../../shared/release/tags.js";
import { awsCall, awsCode } from "../aws-call.js";
import type { InstanceContext } from "../context.js";
import type { VerifiedRelease } from "./snapshot.js";
import { freeDeviceName, type VolumeView } from "./volume-plan.js";

export function toView(v: Volume): VolumeView {
  const tags = new Map((v.Tags ?? []).map((t) => [t.Key, t.Value]));
  const a = v.Attachments?.find((x) => x.State !== "detached");
  return {
    volumeId: v.VolumeId ?? "",
    state: v.State ?? "unknown",
    ...(tags.get(RELEASE_ID_TAG) ? { releaseId: tags.get(RELEASE_ID_TAG) } : {}),
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

/** Every volume the agent made for this instance (the tags are set atomically by CreateVolume). */
export async function listOurVolumes(ctx: InstanceContext): Promise<VolumeView[]> {
  const views: VolumeView[] = [];
  let token: string | undefined;
  do {
    const out = await awsCall("DescribeVolumes", () =>
      ctx.aws.ec2.send(
        new DescribeVolumesCommand({
          Filters: [
            { Name: `tag:${INSTANCE_ID_TAG}`, Values: [ctx.identity.instanceId] },
            { Name: `tag:${MANAGED_BY_TAG}`, Values: [MANAGED_BY_AGENT] },
          ],
          NextToken: token,
        }),
        { abortSignal: ctx.signal },
      ),
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
  const out = await awsCall(
    "DescribeVolumes",
    () =>
      ctx.aws.ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }), { abortSignal: ctx.signal }),
    { volumeId },
  ).catch((err: unknown) => {
    if (awsCode(err) === "InvalidVolume.NotFound") return { Volumes: [] };
    throw err;
  });
  const v = out.Volumes?.[0];
  return v ? toView(v) : undefined;
}

/** The volume currently mounted at the release path, when it is one of ours attached here. */
export function createToken(instanceId: string, release: VerifiedRelease, salt = ""): string {
  const hash = createHash("sha256").update(
    `${instanceId}\n${release.snapshotId}\n${release.releaseId}\n${salt}`,
  );
  return `asg-release-${hash.digest("hex").slice(0, 48)}`;
}

export async function createVolume(ctx: InstanceContext, release: VerifiedRelease): Promise<VolumeView> {
  const made = await createWithToken(ctx, release, createToken(ctx.identity.instanceId, release));
  // EC2 keeps tokens for a while: after a rollback to a release whose volume was deleted, the token
  // names that dead volume. A fresh token is then right, since nothing live holds the old one.
  if (made.state === "deleting" || made.state === "deleted") {
    return createWithToken(
      ctx,
      release,
      createToken(ctx.identity.instanceId, release, String(ctx.clock.now())),
    );
  }
  return made;
}

async function createWithToken(
  ctx: InstanceContext,
  release: VerifiedRelease,
  token: string,
): Promise<VolumeView> {
  const cfg = ctx.config.volume;
  const tags = [
    { Key: INSTANCE_ID_TAG, Value: ctx.identity.instanceId },
    { Key: RELEASE_ID_TAG, Value: release.releaseId },
    { Key: PROJECT_TAG, Value: ctx.config.project },
    { Key: MANAGED_BY_TAG, Value: MANAGED_BY_AGENT },
    { Key: "Name", Value: `${ctx.config.project}-release-${release.releaseId}` },
  ];
  const out = await awsCall(
    "CreateVolume",
    () =>
      ctx.aws.ec2.send(
        new CreateVolumeCommand({
          AvailabilityZone: ctx.identity.availabilityZone,
          SnapshotId: release.snapshotId,
          VolumeType: cfg.type as VolumeType,
          ...(cfg.size !== undefined ? { Size: Math.max(cfg.size, release.sizeGiB) } : {}),
          ...(cfg.iops !== undefined ? { Iops: cfg.iops } : {}),
          ...(cfg.throughput !== undefined ? { Throughput: cfg.throughput } : {}),
          ...(cfg.encrypted !== undefined ? { Encrypted: cfg.encrypted } : {}),
          ...(cfg.kms_key_id !== undefined ? { KmsKeyId: cfg.kms_key_id } : {}),
          TagSpecifications: [{ ResourceType: "volume", Tags: tags }],
          ClientToken: token,
        }),
        { abortSignal: ctx.signal },
      ),
    { snapshotId: release.snapshotId },
  );
  if (!out.VolumeId) throw new AsgReleaseError("CreateVolume returned no volume id");
  return {
    volumeId: out.VolumeId,
    state: out.State ?? "creating",
    releaseId: release.releaseId,
  };
}

export async function waitAvailable(ctx: InstanceContext, volumeId: string): Promise<VolumeView> {
  const maxWaitTime = ctx.config.volume.timeout;
  await awsCall(
    "DescribeVolumes (waiting for available)",
    () =>
      waitUntilVolumeAvailable(
        { client: ctx.aws.ec2, maxWaitTime, minDelay: 1, maxDelay: 10, abortSignal: ctx.signal },
        { VolumeIds: [volumeId] },
      ),
    { volumeId },
  );
  const v = await describeVolume(ctx, volumeId);
  if (!v) throw new AsgReleaseError(`${volumeId} disappeared after becoming available`);
  return v;
}

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
      await awsCall(
        "AttachVolume",
        () =>
          ctx.aws.ec2.send(
            new AttachVolumeCommand({
              VolumeId: volumeId,
              InstanceId: ctx.identity.instanceId,
              Device: device,
            }),
            { abortSignal: ctx.signal },
          ),
        { volumeId, device },
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
  const out = await awsCall("DescribeInstances", () =>
    ctx.aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: [ctx.identity.instanceId] }), {
      abortSignal: ctx.signal,
    }),
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
    {
      what: `${volumeId} attached to ${ctx.identity.instanceId}`,
      maxWaitMs: ctx.config.volume.timeout * 1000,
      minDelayMs: 500,
      maxDelayMs: 5000,
      clock: ctx.clock,
      signal: ctx.signal,
      context: { volumeId },
    },
  );
}

/** So the volume goes with the instance: terminating it leaves nothing behind. */
export async function setDeleteOnTermination(
  ctx: InstanceContext,
  volumeId: string,
  device: string,
): Promise<void> {
  await awsCall(
    "ModifyInstanceAttribute",
    () =>
      ctx.aws.ec2.send(
        new ModifyInstanceAttributeCommand({
          InstanceId: ctx.identity.instanceId,
          BlockDeviceMappings: [
            { DeviceName: device, Ebs: { VolumeId: volumeId, DeleteOnTermination: true } },
          ],
        }),
        { abortSignal: ctx.signal },
      ),
    { volumeId, device },
  );
}
