// Steps "frozen" -> "snapshot-started" -> "snapshot-completed": a point-in-time snapshot of the
// mounted release volume without unmounting it (docs/spec/release.md#snapshot-consistency,
// #diff-fsfreeze). fsfreeze flushes and blocks writes; the EBS
// snapshot's point in time is fixed when CreateSnapshot returns, so the freeze can end right then
// (CreateSnapshot API reference: "the point-in-time snapshot is created immediately").
import {
  CreateSnapshotCommand,
  DeleteSnapshotCommand,
  DescribeSnapshotsCommand,
  type Snapshot,
} from "@aws-sdk/client-ec2";
import { awsSend } from "#shared/aws/call.js";
import type { AwsClients } from "#shared/aws/clients.js";
import { tagMap } from "#shared/aws/tags.js";
import { AsgReleaseError, messageOf } from "#shared/errors.js";
import type { Logger } from "#shared/log.js";
import { poll, type Clock } from "#shared/poll.js";
import type { Run } from "#shared/proc/run.js";
import {
  MANAGED_BY_SERVER,
  MANAGED_BY_TAG,
  PROJECT_TAG,
  RELEASE_ID_TAG,
  TREE_HASH_TAG,
} from "#shared/release/tags.js";
import { freezeArgv, unfreezeArgv } from "#shared/proc/argv/filesystem.js";

export interface SnapshotRequest {
  volumeId: string;
  mountPath: string;
  project: string;
  releaseId: string;
  treeHash: string;
}

export function releaseTags(r: { project: string; releaseId: string; treeHash: string }) {
  return [
    { Key: PROJECT_TAG, Value: r.project },
    { Key: RELEASE_ID_TAG, Value: r.releaseId },
    { Key: TREE_HASH_TAG, Value: r.treeHash },
    { Key: MANAGED_BY_TAG, Value: MANAGED_BY_SERVER },
    { Key: "Name", Value: `${r.project} release ${r.releaseId}` },
  ];
}

/**
 * Freezes, creates the snapshot (tagged in the same call, so no untagged snapshot can be left by a
 * crash), and always thaws, even when CreateSnapshot fails.
 */
export async function freezeAndSnapshot(
  run: Run,
  ec2: AwsClients["ec2"],
  r: SnapshotRequest,
): Promise<string> {
  await run(freezeArgv(r.mountPath));
  let snapshotId: string | undefined;
  try {
    const out = await awsSend(
      ec2,
      new CreateSnapshotCommand({
        VolumeId: r.volumeId,
        Description: `asg-release ${r.project} ${r.releaseId}`,
        TagSpecifications: [{ ResourceType: "snapshot", Tags: releaseTags(r) }],
      }),
      { volumeId: r.volumeId, releaseId: r.releaseId },
    );
    snapshotId = out.SnapshotId;
  } finally {
    await thaw(run, r.mountPath);
  }
  if (!snapshotId) throw new AsgReleaseError("CreateSnapshot returned no SnapshotId", { code: "AwsError" });
  return snapshotId;
}

/** Thaws; a filesystem that is not frozen answers EINVAL, which is what we wanted anyway. */
export async function thaw(run: Run, mountPath: string): Promise<void> {
  await run(unfreezeArgv(mountPath)).catch((err: unknown) => {
    if (!/Invalid argument/i.test(messageOf(err))) throw err;
  });
}

export async function waitSnapshotCompleted(
  ec2: AwsClients["ec2"],
  snapshotId: string,
  opts: { maxWaitMs: number; clock?: Clock; signal?: AbortSignal; onProgress?: (p: string) => void },
): Promise<Snapshot> {
  return poll<Snapshot>(
    async () => {
      const s = await describeSnapshot(ec2, snapshotId);
      if (!s) return { state: "FAILURE", reason: "the snapshot no longer exists" };
      if (s.State === "completed") return { state: "SUCCESS", value: s };
      if (s.State === "error")
        return { state: "FAILURE", reason: `state error: ${s.StateMessage ?? "no message"}` };
      opts.onProgress?.(s.Progress ?? "");
      return { state: "RETRY", reason: `${s.State} ${s.Progress ?? ""}`.trim() };
    },
    {
      what: `snapshot ${snapshotId} completed`,
      maxWaitMs: opts.maxWaitMs,
      minDelayMs: 500,
      maxDelayMs: 15_000,
      clock: opts.clock,
      signal: opts.signal,
      context: { snapshotId },
    },
  );
}

/** The snapshot does not exist (any more): a describe finds nothing, a delete has nothing to do. */
const snapshotGone = (code: string) => code === "InvalidSnapshot.NotFound";

export async function describeSnapshot(
  ec2: AwsClients["ec2"],
  snapshotId: string,
): Promise<Snapshot | undefined> {
  const out = await awsSend(
    ec2,
    new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }),
    { snapshotId },
    snapshotGone,
  );
  return out?.Snapshots?.[0];
}

/** The release snapshots of one release id (any state), found by tag. */
export async function snapshotsOfRelease(ec2: AwsClients["ec2"], project: string, releaseId: string) {
  const out = await awsSend(
    ec2,
    new DescribeSnapshotsCommand({
      OwnerIds: ["self"],
      Filters: [
        { Name: `tag:${PROJECT_TAG}`, Values: [project] },
        { Name: `tag:${RELEASE_ID_TAG}`, Values: [releaseId] },
      ],
    }),
    { project, releaseId },
  );
  return out.Snapshots ?? [];
}

export async function deleteSnapshot(
  ec2: AwsClients["ec2"],
  snapshotId: string,
  log: Logger,
  reason: string,
): Promise<void> {
  const out = await awsSend(
    ec2,
    new DeleteSnapshotCommand({ SnapshotId: snapshotId }),
    { snapshotId },
    snapshotGone,
  );
  if (out) log.info({ snapshotId, reason }, "snapshot deleted");
}

/** The pointer may name only a completed snapshot of this project and release: checked right before. */
export function verifyReleaseSnapshot(
  s: Snapshot | undefined,
  want: { snapshotId: string; project: string; releaseId: string; treeHash: string },
): void {
  const tag = tagMap(s?.Tags);
  const problem = !s
    ? "it does not exist"
    : s.State !== "completed"
      ? `its state is ${s.State}`
      : tag[PROJECT_TAG] !== want.project ||
          tag[RELEASE_ID_TAG] !== want.releaseId ||
          tag[TREE_HASH_TAG] !== want.treeHash
        ? "its tags do not name this release"
        : undefined;
  if (problem) {
    throw new AsgReleaseError(`not publishing snapshot ${want.snapshotId}: ${problem}`, {
      code: "SnapshotNotPublishable",
      context: { snapshotId: want.snapshotId },
    });
  }
}
