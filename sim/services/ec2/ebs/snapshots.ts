// CreateSnapshot (the volume's image copied at that instant; `pending` -> `completed`),
// DescribeSnapshots (owners, restorable-by, filters, paging), DeleteSnapshot, CopySnapshot.
import { SimError } from "../../../api/errors.js";
import { newId } from "../../../state/ids.js";
import type { RegionState } from "../../../state/store.js";
import type { Snapshot } from "../../../state/types.js";
import { applyFilters, readFilters, type FilterTable } from "../../common/filters.js";
import {
  checkEc2Tags,
  checkTagSpecificationTypes,
  readTagSpecifications,
  tagsFor,
} from "../../common/tags.js";
import type { Ec2Context, Ec2Op } from "../context.js";
import { checkIds, snapshotNotFound } from "../errors.js";
import { getSnapshot, getVolume, snapshotVisibleTo } from "../lookup.js";
import { checkIdsWithoutPaging, ec2Page } from "../paging.js";
import { copyImage, removeImage, snapshotImagePath } from "./files.js";
import { AMAZON_OWNER_ID } from "../seed.js";
import { snapshotXml } from "./shape.js";

/** Moves a pending snapshot to 50% at half time and to completed at the end, unless held. */
export function scheduleCompletion(ec2: Ec2Context, snapshot: Snapshot): void {
  const ms = ec2.sim.options.delays.snapshotMs;
  ec2.schedule(`progress ${snapshot.snapshotId}`, ms / 2, () => {
    if (snapshot.state === "pending") snapshot.progress = "50%";
  });
  ec2.schedule(snapshot.snapshotId, ms, () => {
    if (snapshot.state !== "pending") return;
    snapshot.state = "completed";
    snapshot.progress = "100%";
  });
}

function readSnapshotTags(params: Parameters<Ec2Op>[0]["params"]): Record<string, string> {
  const specs = readTagSpecifications(params);
  checkTagSpecificationTypes(specs, ["snapshot"]);
  const tags = tagsFor(specs, "snapshot");
  checkEc2Tags(tags);
  return tags;
}

export const createSnapshot: Ec2Op = async ({ sim, region, params }, ec2) => {
  const volume = getVolume(region, params.req("VolumeId"));
  if (volume.state !== "available" && volume.state !== "in-use")
    throw new SimError("IncorrectState", `Volume '${volume.volumeId}' is in the '${volume.state}' state.`);
  const tags = readSnapshotTags(params);
  const snapshotId = newId("snap");
  const snapshot: Snapshot = {
    snapshotId,
    volumeId: volume.volumeId,
    volumeSize: volume.size,
    state: "pending",
    progress: "0%",
    startTime: ec2.now(),
    ownerId: ec2.accountId,
    description: params.str("Description") ?? "",
    encrypted: volume.encrypted,
    kmsKeyId: volume.kmsKeyId,
    tags,
  };
  // The point in time is now: later writes to the volume are not in the snapshot.
  if (volume.imagePath) {
    snapshot.imagePath = snapshotImagePath(sim.options.stateDir, snapshotId);
    await copyImage(volume.imagePath, snapshot.imagePath);
  }
  region.snapshots.set(snapshotId, snapshot);
  sim.faults.created("ec2:CreateSnapshot", snapshotId);
  scheduleCompletion(ec2, snapshot);
  return snapshotXml(snapshot);
};

const SNAPSHOT_FILTERS: FilterTable<Snapshot> = {
  tags: (s) => s.tags,
  fields: {
    "snapshot-id": (s) => s.snapshotId,
    "volume-id": (s) => s.volumeId,
    status: (s) => s.state,
    "owner-id": (s) => s.ownerId,
    "owner-alias": (s) => (s.ownerId === AMAZON_OWNER_ID ? "amazon" : undefined),
    description: (s) => s.description,
    progress: (s) => s.progress,
    "start-time": (s) => s.startTime.toISOString(),
    "volume-size": (s) => s.volumeSize,
    encrypted: (s) => String(s.encrypted),
    "storage-tier": () => "standard",
  },
};

/** Owner ids and RestorableBy ids as EC2 reads them: "self", "amazon", "all", account ids. */
function matchesScope(s: Snapshot, accountId: string, owners: string[], restorableBy: string[]): boolean {
  if (!snapshotVisibleTo(s, accountId)) return false;
  const shared = s.sharedWith ?? [];
  const ownerOk =
    owners.length === 0 ||
    owners.some((o) =>
      o === "self"
        ? s.ownerId === accountId
        : o === "amazon"
          ? s.ownerId === AMAZON_OWNER_ID
          : o === s.ownerId,
    );
  const restorableOk =
    restorableBy.length === 0 ||
    restorableBy.some((r) => {
      const id = r === "self" ? accountId : r;
      return r === "all"
        ? shared.includes("all")
        : s.ownerId === id || shared.includes(id) || shared.includes("all");
    });
  return ownerOk && restorableOk;
}

export const describeSnapshots: Ec2Op = ({ sim, region, params }, ec2) => {
  const ids = params.strings("SnapshotId");
  checkIds(ids, "snap", "InvalidSnapshot.Malformed");
  checkIdsWithoutPaging(params, ids, "snapshotSet");
  const owners = params.strings("Owner");
  const restorableBy = params.strings("RestorableBy");
  let snapshots: Snapshot[];
  if (ids.length) {
    const missing = ids.filter((id) => {
      const s = region.snapshots.get(id);
      return !s || !snapshotVisibleTo(s, ec2.accountId) || !sim.faults.visible(id);
    });
    if (missing.length) throw snapshotNotFound(missing);
    snapshots = [...new Set(ids)].map((id) => region.snapshots.get(id)!);
  } else {
    snapshots = [...region.snapshots.values()].filter((s) => sim.faults.visible(s.snapshotId));
  }
  snapshots = snapshots.filter((s) => matchesScope(s, ec2.accountId, owners, restorableBy));
  const filters = readFilters(params);
  const page = ec2Page(params, applyFilters(snapshots, filters, SNAPSHOT_FILTERS), {
    op: `DescribeSnapshots:${owners.join(",")}:${restorableBy.join(",")}`,
    filters,
    min: 5,
    max: 1000,
  });
  return { snapshotSet: page.items.map(snapshotXml), nextToken: page.nextToken };
};

export const deleteSnapshot: Ec2Op = async ({ region, params }, ec2) => {
  const snapshot = getSnapshot(region, params.req("SnapshotId"), ec2.accountId);
  if (snapshot.ownerId !== ec2.accountId)
    throw new SimError("UnauthorizedOperation", "You are not authorized to perform this operation.", 403);
  // EC2 refuses only for snapshots an AMI is registered from; volumes made from it do not matter.
  const image = [...region.images.values()].find((i) => i.rootSnapshotId === snapshot.snapshotId);
  if (image)
    throw new SimError(
      "InvalidSnapshot.InUse",
      `The snapshot ${snapshot.snapshotId} is currently in use by ${image.imageId}`,
    );
  removeSnapshot(ec2, region, snapshot);
  await removeImage(snapshot.imagePath);
  return { return: true };
};

function removeSnapshot(ec2: Ec2Context, region: RegionState, snapshot: Snapshot): void {
  ec2.cancel(snapshot.snapshotId);
  ec2.cancel(`progress ${snapshot.snapshotId}`);
  region.snapshots.delete(snapshot.snapshotId);
}

export const copySnapshot: Ec2Op = async ({ sim, region, params }, ec2) => {
  const sourceRegion = sim.state.region(params.req("SourceRegion"));
  if (!sourceRegion)
    throw new SimError("InvalidParameterValue", `Invalid region: ${params.req("SourceRegion")}`);
  const source = getSnapshot(sourceRegion, params.req("SourceSnapshotId"), ec2.accountId);
  if (source.state !== "completed")
    throw new SimError("IncorrectState", `Snapshot is in invalid state - ${source.state}`);
  const snapshotId = newId("snap");
  const encrypted = params.bool("Encrypted") === true || source.encrypted;
  const copy: Snapshot = {
    ...source,
    snapshotId,
    state: "pending",
    progress: "0%",
    startTime: ec2.now(),
    ownerId: ec2.accountId,
    description: params.str("Description") ?? `[Copied ${source.snapshotId} from ${sourceRegion.name}]`,
    encrypted,
    kmsKeyId: params.str("KmsKeyId") ?? source.kmsKeyId,
    tags: readSnapshotTags(params),
    sharedWith: undefined,
    imagePath: undefined,
  };
  if (source.imagePath) {
    copy.imagePath = snapshotImagePath(sim.options.stateDir, snapshotId);
    await copyImage(source.imagePath, copy.imagePath);
  }
  region.snapshots.set(snapshotId, copy);
  sim.faults.created("ec2:CopySnapshot", snapshotId);
  scheduleCompletion(ec2, copy);
  return { snapshotId };
};
