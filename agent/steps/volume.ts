// Step 3: a volume from the release snapshot, attached here with DeleteOnTermination, and its
// device. Looks first (volumes tagged for this instance), acts only on what is missing; the create
// carries its tags and an idempotency token, so a crash mid-call cannot leave an untagged twin.
import { field } from "#shared/log.js";
import type { InstanceContext } from "../context.js";
import { findDevice, lookForDevice, type Device } from "./device.js";
import type { MountObservation } from "./observe-mount.js";
import type { VerifiedRelease } from "./snapshot.js";
import { attach, setDeleteOnTermination, waitAttached } from "./volume-attach.js";
import { createVolume, waitAvailable } from "./volume-create.js";
import { listOurVolumes } from "./volume-ops.js";
import { planVolumes, type VolumeView } from "./volume-plan.js";

export interface ReleaseVolume {
  volumeId: string;
  releaseId: string;
  device: Device;
  attachmentDevice: string;
}

export interface VolumeOutcome {
  volume: ReleaseVolume;
  stale: VolumeView[];
  created: boolean;
}

/** The volume mounted at the release path now, when it is one of ours attached here. */
async function mountedVolume(ctx: InstanceContext, ours: VolumeView[], mounted: MountObservation) {
  if (!mounted.entry) return undefined;
  for (const v of ours) {
    if (v.attachment?.instanceId !== ctx.identity.instanceId) continue;
    const device = await lookForDevice(ctx, v.volumeId, v.attachment.device);
    if (device?.majorMinor === mounted.entry.majorMinor) return v;
  }
  return undefined;
}

export async function ensureVolume(
  ctx: InstanceContext,
  release: VerifiedRelease,
  mounted: MountObservation,
): Promise<VolumeOutcome> {
  const ours = await listOurVolumes(ctx);
  const current = await mountedVolume(ctx, ours, mounted);
  // A tree that rsync brought up to the current release counts as current, whatever its volume's tag.
  const keep = current && mounted.manifestReleaseId === release.releaseId ? current.volumeId : undefined;
  const plan = planVolumes(ours, {
    instanceId: ctx.identity.instanceId,
    releaseId: release.releaseId,
    ...(keep ? { keepVolumeId: keep } : {}),
  });
  for (const f of plan.foreign) {
    ctx.log.warn(
      { [field.volumeId]: f.volumeId, attachedTo: f.attachment?.instanceId },
      "a volume tagged for this instance is attached to another instance; leaving it alone",
    );
  }
  const created = !plan.target;
  let target = plan.target ?? (await createVolume(ctx, release));
  const log = ctx.log.child({ [field.volumeId]: target.volumeId });
  if (created) log.info({ [field.snapshotId]: release.snapshotId }, "created the release volume");
  if (target.state === "creating") target = await waitAvailable(ctx, target.volumeId);
  if (target.attachment?.instanceId !== ctx.identity.instanceId) {
    target = await attach(ctx, target.volumeId, ours);
    log.info({ device: target.attachment?.device }, "attached the release volume");
  }
  if (target.attachment?.state !== "attached") target = await waitAttached(ctx, target.volumeId);
  const attachment = target.attachment!;
  if (!attachment.deleteOnTermination) {
    await setDeleteOnTermination(ctx, target.volumeId, attachment.device);
    log.info("set DeleteOnTermination");
  }
  const device = await findDevice(ctx, target.volumeId, attachment.device, ctx.config.volume.timeout * 1000);
  return {
    volume: {
      volumeId: target.volumeId,
      releaseId: target.releaseId ?? release.releaseId,
      device,
      attachmentDevice: attachment.device,
    },
    stale: plan.stale,
    created,
  };
}

/** The same instance, release and snapshot give the same token: a retried create returns the same volume. */
