// Creating and destroying volume records and their images, for CreateVolume and for the volumes
// an instance gets at launch.
import { createHash } from "node:crypto";
import { SimError } from "../../../api/errors.js";
import { newId } from "../../../state/ids.js";
import type { RegionState } from "../../../state/store.js";
import type { Tags, Volume, VolumeState } from "../../../state/types.js";
import type { Ec2Context } from "../context.js";
import { getSnapshot } from "../lookup.js";
import { copyImage, createBlankImage, removeImage, volumeImagePath } from "./files.js";
import { checkVolumeParams } from "./volume-spec.js";

export interface NewVolume {
  availabilityZone: string;
  size?: number;
  snapshotId?: string;
  volumeType?: string;
  iops?: number;
  throughput?: number;
  encrypted?: boolean;
  kmsKeyId?: string;
  tags: Tags;
  state: Extract<VolumeState, "creating" | "in-use">;
  /** Give the volume an image file even when its snapshot has none (full hosts). */
  withImage: boolean;
}

export async function createVolumeRecord(
  ec2: Ec2Context,
  region: RegionState,
  spec: NewVolume,
): Promise<Volume> {
  const snapshot = spec.snapshotId ? getSnapshot(region, spec.snapshotId, ec2.accountId) : undefined;
  if (snapshot && snapshot.state !== "completed")
    throw new SimError("IncorrectState", `Snapshot is in invalid state - ${snapshot.state}`);
  const shape = checkVolumeParams({
    size: spec.size,
    snapshotSize: snapshot?.volumeSize,
    volumeType: spec.volumeType,
    iops: spec.iops,
    throughput: spec.throughput,
  });
  if (spec.kmsKeyId && spec.encrypted !== true && !snapshot?.encrypted)
    throw new SimError(
      "InvalidParameterDependency",
      "The parameter KmsKeyId requires the parameter Encrypted to be set.",
    );
  const encrypted = spec.encrypted === true || snapshot?.encrypted === true;
  const volumeId = newId("vol");
  const volume: Volume = {
    volumeId,
    size: shape.size,
    snapshotId: snapshot?.snapshotId,
    availabilityZone: spec.availabilityZone,
    state: spec.state,
    createTime: ec2.now(),
    volumeType: shape.volumeType,
    iops: shape.iops,
    throughput: shape.throughput,
    encrypted,
    kmsKeyId: encrypted ? (spec.kmsKeyId ?? snapshot?.kmsKeyId ?? defaultKmsKey(ec2, region)) : undefined,
    attachments: [],
    tags: spec.tags,
  };
  if (snapshot?.imagePath || spec.withImage) {
    const path = volumeImagePath(ec2.sim.options.stateDir, volumeId);
    if (snapshot?.imagePath) await copyImage(snapshot.imagePath, path, volume.size);
    else await createBlankImage(path, volume.size);
    volume.imagePath = path;
  }
  region.volumes.set(volumeId, volume);
  return volume;
}

/** Gives a volume that has none an empty image, when it first meets a full host. */
export async function ensureVolumeImage(ec2: Ec2Context, volume: Volume): Promise<string> {
  if (!volume.imagePath) {
    const path = volumeImagePath(ec2.sim.options.stateDir, volume.volumeId);
    await createBlankImage(path, volume.size);
    volume.imagePath = path;
  }
  return volume.imagePath;
}

/** Removes a volume for good (DeleteVolume, DeleteOnTermination): `deleting`, then gone. */
export function destroyVolume(ec2: Ec2Context, region: RegionState, volume: Volume): void {
  volume.state = "deleting";
  volume.attachments = [];
  ec2.sim.clock.after(ec2.sim.options.delays.volumeCreateMs, `delete ${volume.volumeId}`, async () => {
    region.volumes.delete(volume.volumeId);
    await removeImage(volume.imagePath);
  });
}

function defaultKmsKey(ec2: Ec2Context, region: RegionState): string {
  // The account's aws/ebs key: one stable id per account and region.
  const h = createHash("sha256").update(`${ec2.accountId}:${region.name}:aws/ebs`).digest("hex");
  const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  return `arn:aws:kms:${region.name}:${ec2.accountId}:key/${id}`;
}
