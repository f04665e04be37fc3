// Making the release volume: one CreateVolume with its tags and an idempotency token, then the
// SDK waiter until it is available.
import { createHash } from "node:crypto";
import { CreateVolumeCommand, waitUntilVolumeAvailable, type VolumeType } from "@aws-sdk/client-ec2";
import { AsgReleaseError } from "#shared/errors.js";
import { instanceArn } from "#shared/aws/arn.js";
import {
  INSTANCE_ARN_TAG,
  INSTANCE_ID_TAG,
  MANAGED_BY_AGENT,
  MANAGED_BY_TAG,
  PROJECT_TAG,
  RELEASE_ID_TAG,
} from "#shared/release/tags.js";
import { awsCall, awsSend } from "#shared/aws/call.js";
import type { InstanceContext } from "../context.js";
import type { VerifiedRelease } from "./snapshot.js";
import { describeVolume } from "./volume-ops.js";
import type { VolumeView } from "./volume-plan.js";

/** The same instance, release and snapshot give the same token: a retried create returns the same volume. */
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
    // What the instance role's policy matches with ${ec2:SourceInstanceARN}: this instance's own volume.
    { Key: INSTANCE_ARN_TAG, Value: instanceArn(ctx.identity) },
    { Key: RELEASE_ID_TAG, Value: release.releaseId },
    { Key: PROJECT_TAG, Value: ctx.config.project },
    { Key: MANAGED_BY_TAG, Value: MANAGED_BY_AGENT },
    { Key: "Name", Value: `${ctx.config.project}-release-${release.releaseId}` },
  ];
  const out = await awsSend(
    ctx.aws.ec2,
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
    { snapshotId: release.snapshotId },
    { abortSignal: ctx.signal },
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
  await awsCall("DescribeVolumes (waiting for available)", { volumeId }, () =>
    waitUntilVolumeAvailable(
      { client: ctx.aws.ec2, maxWaitTime, minDelay: 1, maxDelay: 10, abortSignal: ctx.signal },
      { VolumeIds: [volumeId] },
    ),
  );
  const v = await describeVolume(ctx, volumeId);
  if (!v) throw new AsgReleaseError(`${volumeId} disappeared after becoming available`);
  return v;
}
