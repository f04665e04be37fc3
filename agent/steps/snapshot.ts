// Verification of the snapshot a pointer names, before anything is made from it: it must exist, be
// owned by the expected account, carry this project's release tags and be `completed`. A pointer is
// just text from the network; this is what makes it safe to mount.
import { DescribeSnapshotsCommand, type Snapshot } from "@aws-sdk/client-ec2";
import { AsgReleaseError } from "#shared/errors.js";
import { PROJECT_TAG, RELEASE_ID_TAG, TREE_HASH_TAG } from "#shared/release/tags.js";
import { awsCode, awsSend } from "#shared/aws/call.js";
import { tagMap } from "#shared/aws/tags.js";
import type { InstanceContext } from "../context.js";
import { SNAPSHOT_ID, type PointerClaim } from "./pointer.js";

export interface VerifiedRelease {
  releaseId: string;
  snapshotId: string;
  treeHash?: string;
  imageDigest?: string;
  /** GiB: a volume from it is at least this big. */
  sizeGiB: number;
  encrypted: boolean;
  source: string;
}

export interface Expectations {
  owner: string;
  project: string;
}

const refuse = (snapshotId: string, why: string) =>
  new AsgReleaseError(`snapshot ${snapshotId} is not a usable release: ${why}; it will not be mounted`, {
    code: "SnapshotRejected",
    context: { snapshotId },
  });

export async function verifySnapshot(
  ctx: InstanceContext,
  claim: PointerClaim,
  expect: Expectations,
): Promise<VerifiedRelease> {
  const id = claim.snapshotId;
  if (!SNAPSHOT_ID.test(id)) throw refuse(id, "not a snapshot id");
  let snapshot: Snapshot | undefined;
  try {
    const out = await awsSend(
      ctx.aws.ec2,
      new DescribeSnapshotsCommand({ SnapshotIds: [id] }),
      { snapshotId: id },
      { abortSignal: ctx.signal },
    );
    snapshot = out.Snapshots?.find((s) => s.SnapshotId === id);
  } catch (err) {
    const code = awsCode(err);
    // Another account's private snapshot is simply invisible: NotFound, as for a made-up id.
    if (code === "InvalidSnapshot.NotFound" || code === "InvalidSnapshotID.Malformed") {
      throw refuse(id, `${code} (no such snapshot visible to this account)`);
    }
    throw err;
  }
  if (!snapshot) throw refuse(id, "DescribeSnapshots did not return it");
  return checkSnapshot(snapshot, claim, expect);
}

/** The pure part: every rule a release snapshot must pass, with the first broken one named. */
export function checkSnapshot(s: Snapshot, claim: PointerClaim, expect: Expectations): VerifiedRelease {
  const id = claim.snapshotId;
  const tags = tagMap(s.Tags);
  if (s.OwnerId !== expect.owner) {
    throw refuse(id, `owned by account ${s.OwnerId ?? "unknown"}, expected ${expect.owner}`);
  }
  const project = tags[PROJECT_TAG];
  if (project !== expect.project) {
    throw refuse(
      id,
      project === undefined
        ? `it has no ${PROJECT_TAG} tag, so it is not a release`
        : `${PROJECT_TAG} is ${JSON.stringify(project)}, expected ${JSON.stringify(expect.project)}`,
    );
  }
  const releaseId = tags[RELEASE_ID_TAG];
  if (!releaseId) throw refuse(id, `it has no ${RELEASE_ID_TAG} tag, so it is not a release`);
  if (claim.releaseId !== undefined && claim.releaseId !== releaseId) {
    throw refuse(id, `the pointer says release ${claim.releaseId}, the snapshot is tagged ${releaseId}`);
  }
  const treeHash = tags[TREE_HASH_TAG];
  if (claim.treeHash !== undefined && treeHash !== undefined && claim.treeHash !== treeHash) {
    throw refuse(id, `the pointer's tree hash ${claim.treeHash} differs from the snapshot's ${treeHash}`);
  }
  if (s.State !== "completed") {
    throw refuse(id, `its state is ${s.State ?? "unknown"}, expected completed`);
  }
  return {
    releaseId,
    snapshotId: id,
    ...((treeHash ?? claim.treeHash) ? { treeHash: treeHash ?? claim.treeHash } : {}),
    ...(claim.imageDigest ? { imageDigest: claim.imageDigest } : {}),
    sizeGiB: s.VolumeSize ?? 1,
    encrypted: s.Encrypted ?? false,
    source: claim.source,
  };
}
