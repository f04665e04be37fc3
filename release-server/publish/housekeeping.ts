// Retention and sweeping (agents' orphaned volumes, rollback sources left behind), executed: observe (a constant number of paginated describe calls),
// plan (retention.ts, sweep.ts), delete, log. Also forgets the pinned host keys of instances that
// are gone, so the known_hosts file does not grow with every scale-in. Given `failed`, one item
// that EC2 refuses (a snapshot an AMI uses) is reported there and the rest go on.
import {
  DeleteVolumeCommand,
  paginateDescribeInstances,
  paginateDescribeSnapshots,
  paginateDescribeVolumes,
} from "@aws-sdk/client-ec2";
import { readFile } from "node:fs/promises";
import { awsCall, awsSend } from "#shared/aws/call.js";
import type { AwsClients } from "#shared/aws/clients.js";
import { tagMap } from "#shared/aws/tags.js";
import { field, type Logger } from "#shared/log.js";
import {
  INSTANCE_ID_TAG,
  MANAGED_BY_AGENT,
  MANAGED_BY_SERVER,
  MANAGED_BY_TAG,
  PROJECT_TAG,
  RELEASE_ID_TAG,
} from "#shared/release/tags.js";
import { writeFileAtomic } from "#shared/fs/atomic-write.js";
import { planRetention, type DeleteSnapshot, type ReleaseSnapshot } from "./plan/retention.js";
import { deleteSnapshot } from "./snapshot.js";
import { planRollbackSourceSweep, planSweep, type DeleteVolume, type ObservedVolume } from "./plan/sweep.js";

const CHUNK = 200;
const chunks = <T>(xs: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

/** One item housekeeping could not delete; it is tried again on the next run. */
export type ItemFailed = (id: string, err: unknown) => void;

/** Deletes each item; with `failed`, an item's error is reported there instead of ending the loop. */
async function eachIsolated<T>(
  items: readonly T[],
  id: (item: T) => string,
  del: (item: T) => Promise<void>,
  failed: ItemFailed | undefined,
): Promise<T[]> {
  const done: T[] = [];
  for (const item of items) {
    try {
      await del(item);
      done.push(item);
    } catch (err) {
      if (!failed) throw err;
      failed(id(item), err);
    }
  }
  return done;
}

/** Returns the snapshots it deleted. */
export async function applyRetention(
  aws: AwsClients,
  log: Logger,
  o: { project: string; keep: number; currentSnapshotId?: string; inFlightSnapshotId?: string },
  failed?: ItemFailed,
): Promise<DeleteSnapshot[]> {
  const snapshots: ReleaseSnapshot[] = [];
  const pages = paginateDescribeSnapshots(
    { client: aws.ec2 },
    {
      OwnerIds: ["self"],
      Filters: [
        { Name: `tag:${PROJECT_TAG}`, Values: [o.project] },
        { Name: `tag:${MANAGED_BY_TAG}`, Values: [MANAGED_BY_SERVER] },
      ],
    },
  );
  await awsCall("DescribeSnapshots", { project: o.project }, async () => {
    for await (const page of pages) {
      for (const s of page.Snapshots ?? []) {
        snapshots.push({
          snapshotId: s.SnapshotId ?? "",
          state: s.State ?? "",
          startTime: s.StartTime?.toISOString() ?? "",
          releaseId: tagMap(s.Tags)[RELEASE_ID_TAG],
        });
      }
    }
  });
  const inUse = new Set<string>();
  for (const ids of chunks(snapshots.map((s) => s.snapshotId))) {
    await awsCall("DescribeVolumes", { snapshots: `${ids.length} snapshots of ${o.project}` }, async () => {
      for await (const page of paginateDescribeVolumes(
        { client: aws.ec2 },
        { Filters: [{ Name: "snapshot-id", Values: ids }] },
      )) {
        for (const v of page.Volumes ?? []) if (v.SnapshotId) inUse.add(v.SnapshotId);
      }
    });
  }
  const actions = planRetention({ ...o, snapshots, inUseSnapshotIds: inUse });
  return eachIsolated(
    actions,
    (a) => a.snapshotId,
    (a) => deleteSnapshot(aws.ec2, a.snapshotId, log, a.reason),
    failed,
  );
}

/** Returns the volumes it deleted. */
export async function sweepVolumes(
  aws: AwsClients,
  log: Logger,
  project: string,
  failed?: ItemFailed,
): Promise<DeleteVolume[]> {
  const volumes: ObservedVolume[] = [];
  const pages = paginateDescribeVolumes(
    { client: aws.ec2 },
    {
      Filters: [
        // The boot agents' volumes, and this server's rollback sources (never its release volume).
        { Name: `tag:${MANAGED_BY_TAG}`, Values: [MANAGED_BY_AGENT, MANAGED_BY_SERVER] },
        { Name: "status", Values: ["available", "error"] },
      ],
    },
  );
  await awsCall("DescribeVolumes", { project }, async () => {
    for await (const page of pages) {
      for (const v of page.Volumes ?? []) {
        const tags = tagMap(v.Tags);
        // Another project's volumes are that project's server's to sweep.
        if (tags[PROJECT_TAG] !== undefined && tags[PROJECT_TAG] !== project) continue;
        volumes.push({ volumeId: v.VolumeId ?? "", state: v.State ?? "", tags });
      }
    }
  });
  const instanceIds = [
    ...new Set(volumes.map((v) => v.tags[INSTANCE_ID_TAG]).filter((x): x is string => !!x)),
  ];
  const live = await liveInstances(aws, instanceIds);
  return deleteSweptVolumes(
    aws,
    [...planSweep(volumes, live), ...planRollbackSourceSweep(volumes, project)],
    (a) =>
      log.info(
        { [field.volumeId]: a.volumeId, [field.instanceId]: a.instanceId },
        a.instanceId ? "orphaned volume deleted" : "left-behind rollback source volume deleted",
      ),
    failed,
  );
}

/**
 * Deletes the volumes a sweep chose. One already gone counts as deleted: the release server's
 * housekeeping and a deploy that deletes a group can sweep the same volume at the same time.
 */
export async function deleteSweptVolumes(
  aws: AwsClients,
  actions: readonly DeleteVolume[],
  deleted: (a: DeleteVolume) => void,
  failed?: ItemFailed,
): Promise<DeleteVolume[]> {
  return eachIsolated(
    actions,
    (a) => a.volumeId,
    async (a) => {
      await awsSend(
        aws.ec2,
        new DeleteVolumeCommand({ VolumeId: a.volumeId }),
        { volumeId: a.volumeId, instanceId: a.instanceId },
        (code) => code === "InvalidVolume.NotFound",
      );
      deleted(a);
    },
    failed,
  );
}

/** Instances that exist in any state but terminated. */
export async function liveInstances(aws: AwsClients, ids: readonly string[]): Promise<Set<string>> {
  const live = new Set<string>();
  for (const chunk of chunks(ids)) {
    const pages = paginateDescribeInstances(
      { client: aws.ec2 },
      {
        Filters: [
          { Name: "instance-id", Values: chunk },
          {
            Name: "instance-state-name",
            Values: ["pending", "running", "shutting-down", "stopping", "stopped"],
          },
        ],
      },
    );
    await awsCall("DescribeInstances", { instances: `${chunk.length} instances` }, async () => {
      for await (const page of pages) {
        for (const r of page.Reservations ?? [])
          for (const i of r.Instances ?? []) if (i.InstanceId) live.add(i.InstanceId);
      }
    });
  }
  return live;
}

/** Drops known_hosts lines pinned to instance ids (HostKeyAlias) of instances that are gone. */
export async function pruneKnownHosts(aws: AwsClients, file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return [];
  }
  const lines = text.split("\n").filter(Boolean);
  const aliasOf = (line: string) => /^(i-[0-9a-z]+)\s/.exec(line)?.[1];
  const aliases = [...new Set(lines.map(aliasOf).filter((x): x is string => !!x))];
  if (aliases.length === 0) return [];
  const live = await liveInstances(aws, aliases);
  const gone = aliases.filter((a) => !live.has(a));
  if (gone.length === 0) return [];
  const keep = lines.filter((l) => {
    const a = aliasOf(l);
    return !a || live.has(a);
  });
  await writeFileAtomic(file, keep.length ? `${keep.join("\n")}\n` : "", 0o600);
  return gone;
}
