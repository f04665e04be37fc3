// The source tree of a rollback: the older release's completed snapshot made into a temporary volume
// in the release host's zone, attached to the release host and mounted read-only (nodev, nosuid)
// under the state directory, for the publish pipeline to sync from. Whatever happens, it is
// unmounted, detached and deleted afterwards. What a crash left (still mounted, or attached to the
// release host) is released the same way when the daemon starts and before the next rollback; a
// volume left `available` is tagged so the housekeeping sweep deletes it (plan/sweep.ts).
import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  type Snapshot,
} from "@aws-sdk/client-ec2";
import { mkdir, rmdir } from "node:fs/promises";
import { awsSend } from "#shared/aws/call.js";
import type { AwsClients } from "#shared/aws/clients.js";
import { AsgReleaseError, messageOf } from "#shared/errors.js";
import { field, type Logger } from "#shared/log.js";
import { mountArgv, umountArgv } from "#shared/proc/argv/mount.js";
import type { Run } from "#shared/proc/run.js";
import {
  MANAGED_BY_SERVER,
  MANAGED_BY_TAG,
  PROJECT_TAG,
  RELEASE_ID_TAG,
  ROLE_ROLLBACK_SOURCE,
  ROLE_TAG,
} from "#shared/release/tags.js";
import { waitVolume } from "../init/run.js";
import { snapshotsOfRelease } from "./snapshot.js";
import { assertMounted } from "./volume-sync.js";

/** The release host, as a rollback needs it: where the temporary volume goes, and how it shows up. */
export interface ReleaseHostPort {
  instanceId: string;
  availabilityZone: string;
  /** The device name asked for in AttachVolume. */
  device: string;
  /** The attached volume's block device, as this process sees it. */
  findDevice(volumeId: string, device: string): Promise<string>;
}

/** Mount options of the source: it is only read, and nothing on it is ever run or opened as a device. */
export const ROLLBACK_MOUNT_OPTIONS = ["ro", "nodev", "nosuid"] as const;

/** The device name the source is attached as: one the release volume (release.device) does not use. */
export function rollbackDevice(releaseDevice: string): string {
  return releaseDevice === "/dev/sdr" ? "/dev/sds" : "/dev/sdr";
}

export const rollbackMountPath = (stateDir: string): string => `${stateDir}/rollback-source`;

/** The project's completed release snapshot of `releaseId`, or a refusal that says why there is none. */
export async function rollbackSnapshot(
  ec2: AwsClients["ec2"],
  project: string,
  releaseId: string,
): Promise<Snapshot> {
  const found = (await snapshotsOfRelease(ec2, project, releaseId)).filter(
    (x) => x.Tags?.some((t) => t.Key === MANAGED_BY_TAG && t.Value === MANAGED_BY_SERVER) ?? false,
  );
  const completed = found.find((x) => x.State === "completed");
  if (completed?.SnapshotId) return completed;
  throw new AsgReleaseError(
    found.length === 0
      ? `cannot roll back to ${releaseId}: project ${project} has no release snapshot with that release id (retention may have deleted it)`
      : `cannot roll back to ${releaseId}: its snapshot ${found.map((x) => `${x.SnapshotId} is ${x.State}`).join(", ")}, not completed`,
    { code: "RollbackRefused", context: { project, releaseId } },
  );
}

export interface RollbackSourceOptions {
  aws: AwsClients;
  run: Run;
  log: Logger;
  host: ReleaseHostPort;
  project: string;
  stateDir: string;
  releaseId: string;
  snapshot: Snapshot;
}

/** Runs `fn` with the older release's tree mounted at a path, then removes the temporary volume. */
export async function withRollbackSource<T>(
  o: RollbackSourceOptions,
  fn: (path: string) => Promise<T>,
): Promise<T> {
  await releaseLeftSources(o);
  const done: { volumeId?: string; attached?: boolean; mounted?: string } = {};
  try {
    return await fn(await open(o, done));
  } finally {
    await close(o, done);
  }
}

async function open(
  o: RollbackSourceOptions,
  done: { volumeId?: string; attached?: boolean; mounted?: string },
): Promise<string> {
  const { ec2 } = o.aws;
  const snapshotId = o.snapshot.SnapshotId ?? "";
  const created = await awsSend(
    ec2,
    new CreateVolumeCommand({
      AvailabilityZone: o.host.availabilityZone,
      SnapshotId: snapshotId,
      VolumeType: "gp3",
      TagSpecifications: [
        {
          ResourceType: "volume",
          Tags: [
            { Key: ROLE_TAG, Value: ROLE_ROLLBACK_SOURCE },
            { Key: PROJECT_TAG, Value: o.project },
            { Key: MANAGED_BY_TAG, Value: MANAGED_BY_SERVER },
            { Key: RELEASE_ID_TAG, Value: o.releaseId },
            { Key: "Name", Value: `${o.project} rollback source ${o.releaseId}` },
          ],
        },
      ],
    }),
    { project: o.project, snapshotId, availabilityZone: o.host.availabilityZone },
  );
  const volumeId = created.VolumeId ?? "";
  done.volumeId = volumeId;
  o.log.info(
    { [field.volumeId]: volumeId, [field.snapshotId]: snapshotId, [field.releaseId]: o.releaseId },
    "rollback source volume created",
  );
  await waitVolume(o.aws, volumeId, (v) => v.State === "available", "available");
  await awsSend(
    ec2,
    new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: o.host.instanceId, Device: o.host.device }),
    { volumeId, instanceId: o.host.instanceId, device: o.host.device },
  );
  done.attached = true;
  await waitVolume(
    o.aws,
    volumeId,
    (v) => v.Attachments?.some((x) => x.InstanceId === o.host.instanceId && x.State === "attached") ?? false,
    "attached",
  );
  const device = await o.host.findDevice(volumeId, o.host.device);
  const path = rollbackMountPath(o.stateDir);
  await mkdir(path, { recursive: true, mode: 0o700 });
  await o.run(mountArgv(device, path, ROLLBACK_MOUNT_OPTIONS));
  done.mounted = path;
  return path;
}

/** Undoes what open() did, each step on its own: one that fails is logged, the next still runs. */
async function close(
  o: Pick<RollbackSourceOptions, "aws" | "run" | "log" | "host">,
  done: { volumeId?: string; attached?: boolean; mounted?: string },
): Promise<void> {
  const step = async (what: string, body: () => Promise<unknown>): Promise<boolean> => {
    try {
      await body();
      return true;
    } catch (err) {
      o.log.error(
        { err: messageOf(err), [field.volumeId]: done.volumeId },
        `rollback source: could not ${what}; the daemon's next start or the next rollback tries again`,
      );
      return false;
    }
  };
  if (done.mounted) {
    const path = done.mounted;
    if (!(await step("unmount it", () => o.run(umountArgv(path))))) return;
    await rmdir(path).catch(() => undefined);
  }
  const volumeId = done.volumeId;
  if (!volumeId) return;
  if (done.attached) {
    const detached = await step("detach it", async () => {
      await awsSend(
        o.aws.ec2,
        new DetachVolumeCommand({ VolumeId: volumeId, InstanceId: o.host.instanceId }),
        { volumeId, instanceId: o.host.instanceId },
      );
      await waitVolume(o.aws, volumeId, (v) => v.State === "available", "detached");
    });
    if (!detached) return;
  }
  const deleted = await step("delete it", () =>
    awsSend(
      o.aws.ec2,
      new DeleteVolumeCommand({ VolumeId: volumeId }),
      { volumeId },
      (code) => code === "InvalidVolume.NotFound",
    ),
  );
  if (deleted) o.log.info({ [field.volumeId]: volumeId }, "rollback source volume deleted");
}

/**
 * Releases what a rollback killed half-way left on this host: the source still mounted, and the
 * project's rollback source volumes still attached to the release host (detached, then deleted).
 */
export async function releaseLeftSources(
  o: Pick<RollbackSourceOptions, "aws" | "run" | "log" | "host" | "project" | "stateDir">,
): Promise<void> {
  const path = rollbackMountPath(o.stateDir);
  const mounted = await assertMounted(path).then(
    () => true,
    () => false,
  );
  const out = await awsSend(
    o.aws.ec2,
    new DescribeVolumesCommand({
      Filters: [
        { Name: `tag:${ROLE_TAG}`, Values: [ROLE_ROLLBACK_SOURCE] },
        { Name: `tag:${PROJECT_TAG}`, Values: [o.project] },
        { Name: `tag:${MANAGED_BY_TAG}`, Values: [MANAGED_BY_SERVER] },
        { Name: "attachment.instance-id", Values: [o.host.instanceId] },
      ],
    }),
    { project: o.project, instanceId: o.host.instanceId },
  );
  const attached = (out.Volumes ?? []).map((v) => v.VolumeId ?? "").filter(Boolean);
  if (!mounted && attached.length === 0) return;
  o.log.warn(
    { mounted: mounted ? path : undefined, volumes: attached },
    "releasing the source of a rollback that did not finish",
  );
  if (mounted) await close(o, { mounted: path });
  for (const volumeId of attached) await close(o, { volumeId, attached: true });
}
