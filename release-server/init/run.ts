// `asg-release-server init`, executed: the release-host setup of docs/spec/release.md#host-setup
// (create volume, attach, format
// with a label, mount, fstab, copy the code; and the pointer signing key) as one idempotent command. Each step observes first
// and skips what is already done; plan.ts decides, this file only acts and reports.
import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DescribeVolumesCommand,
  type Volume,
} from "@aws-sdk/client-ec2";
import { chmod, mkdir, readFile, realpath, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { awsSend } from "#shared/aws/call.js";
import type { AwsClients } from "#shared/aws/clients.js";
import { AsgReleaseError } from "#shared/errors.js";
import { majorMinor } from "#shared/fs/device-number.js";
import { need } from "#shared/need.js";
import { poll } from "#shared/poll.js";
import { BLKID_NOTHING_FOUND, blkidArgv, parseBlkidExport } from "#shared/proc/argv/blkid.js";
import { ebsByIdName, findEbsDevice, lsblkArgv, parseLsblk } from "#shared/proc/argv/lsblk.js";
import { mountArgv, mountAt, parseMountinfo } from "#shared/proc/argv/mount.js";
import type { Run } from "#shared/proc/run.js";
import {
  MANAGED_BY_SERVER,
  MANAGED_BY_TAG,
  PROJECT_TAG,
  ROLE_RELEASE_VOLUME,
  ROLE_TAG,
} from "#shared/release/tags.js";
import type { ServerSettings } from "../config.js";
import { writeFileAtomic } from "#shared/fs/atomic-write.js";
import { upsertFstabLine } from "#shared/fs/fstab.js";
import { mkfsExt4Argv } from "#shared/proc/argv/filesystem.js";
import { findReleaseVolumes } from "../publish/release-volume.js";
import { syncVolume } from "../publish/volume-sync.js";
import { ensureSigningKey } from "../signing-key.js";
import { fstabLine, RELEASE_MOUNT_OPTIONS } from "./fstab.js";
import type { Identity } from "#shared/aws/imds.js";
import { planFilesystem, planVolume, type ObservedVolume } from "./plan.js";

export interface InitOptions {
  device: string;
  fstabFile: string;
  byIdDir: string;
  say: (line: string) => void;
}

export async function runInit(
  aws: AwsClients,
  run: Run,
  me: Identity,
  s: ServerSettings,
  o: InitOptions,
): Promise<string> {
  const volumeId = await ensureVolume(aws, me, s, o);
  const device = await findDevice(run, volumeId, o);
  await ensureFilesystem(run, device, s.publish.mountPath, s.releaseLabel, o);
  await mkdir(s.publish.stateDir, { recursive: true, mode: 0o700 });
  const key = await ensureSigningKey(s.signingKey.file);
  o.say(
    `${key.created ? "created" : "kept"} the pointer signing key ${key.file} (key ${key.keyId}); ` +
      `agents' pointer.public_key: ${key.publicKey}`,
  );
  await mkdir(dirname(s.publish.ssh.knownHostsFile), { recursive: true, mode: 0o700 });
  await writeFile(s.publish.ssh.knownHostsFile, "", { flag: "a", mode: 0o600 });
  const { manifest } = await syncVolume(run, s.publish, new Date(), undefined);
  o.say(`copied ${manifest.files} files from ${s.publish.source} (tree ${manifest.treeHash.slice(0, 12)})`);
  return volumeId;
}

async function ensureVolume(
  aws: AwsClients,
  me: Identity,
  s: ServerSettings,
  o: InitOptions,
): Promise<string> {
  const observed = (await findReleaseVolumes(aws.ec2, s.config.project)).map(toObserved);
  const plan = planVolume(observed, me, { sizeGiB: s.config.release.size, device: o.device });
  if (!plan.ok) throw new AsgReleaseError(`init: ${plan.problem}`, { exitCode: 2, code: "InitRefused" });
  let volumeId = plan.volumeId;
  if (plan.actions.length === 0) o.say(`release volume ${volumeId} is attached to this host already`);
  for (const a of plan.actions) {
    if (a.kind === "create-volume") {
      const out = await awsSend(
        aws.ec2,
        new CreateVolumeCommand({
          AvailabilityZone: a.availabilityZone,
          Size: a.sizeGiB,
          VolumeType: "gp3",
          TagSpecifications: [
            {
              ResourceType: "volume",
              Tags: [
                { Key: ROLE_TAG, Value: ROLE_RELEASE_VOLUME },
                { Key: PROJECT_TAG, Value: s.config.project },
                { Key: MANAGED_BY_TAG, Value: MANAGED_BY_SERVER },
                { Key: "Name", Value: `${s.config.project} release volume` },
              ],
            },
          ],
        }),
        { project: s.config.project, availabilityZone: a.availabilityZone },
      );
      volumeId = out.VolumeId;
      o.say(`created release volume ${volumeId} (${a.sizeGiB} GiB) in ${a.availabilityZone}`);
    } else if (a.kind === "wait-available") {
      await waitVolume(
        aws,
        need(a.volumeId ?? volumeId, "init: the release volume's id"),
        (v) => v.State === "available",
        "available",
      );
    } else {
      const id = need(a.volumeId ?? volumeId, "init: the release volume's id");
      await awsSend(
        aws.ec2,
        new AttachVolumeCommand({ VolumeId: id, InstanceId: me.instanceId, Device: a.device }),
        { volumeId: id, instanceId: me.instanceId, device: a.device },
      );
      await waitVolume(
        aws,
        id,
        (v) => v.Attachments?.some((x) => x.InstanceId === me.instanceId && x.State === "attached") ?? false,
        "attached",
      );
      o.say(`attached ${id} to ${me.instanceId} as ${a.device}`);
    }
  }
  return need(volumeId, "init: the release volume's id");
}

async function ensureFilesystem(
  run: Run,
  device: string,
  path: string,
  label: string,
  o: InitOptions,
): Promise<void> {
  const deviceMajorMinor = majorMinor((await stat(device, { bigint: true })).rdev);
  const blkid = await run(blkidArgv(device), { okExitCodes: [0, BLKID_NOTHING_FOUND] });
  const mountinfo = parseMountinfo(await readFile("/proc/self/mountinfo", "utf8"));
  const mounted = mountAt(mountinfo, path);
  const rootFs = mountAt(mountinfo, "/");
  const plan = planFilesystem(
    {
      device,
      blkid: blkid.exitCode === BLKID_NOTHING_FOUND ? undefined : parseBlkidExport(blkid.stdout),
      deviceMajorMinor,
      ...(mounted ? { mountedMajorMinor: mounted.majorMinor } : {}),
      ...(rootFs ? { rootMajorMinor: rootFs.majorMinor } : {}),
    },
    { label, path },
  );
  if (!plan.ok) throw new AsgReleaseError(`init: ${plan.problem}`, { exitCode: 2, code: "InitRefused" });
  if (!plan.actions.some((a) => a.kind === "mkfs")) o.say(`${device} holds the release filesystem already`);
  if (!plan.actions.some((a) => a.kind === "mount")) o.say(`${path} is mounted already`);
  for (const a of plan.actions) {
    if (a.kind === "mkfs") {
      await run(mkfsExt4Argv(a.device, a.label));
      o.say(`formatted ${a.device} as ext4, label ${a.label}`);
    } else if (a.kind === "mount") {
      await mkdir(a.path, { recursive: true });
      await run(mountArgv(a.device, a.path, RELEASE_MOUNT_OPTIONS));
      o.say(`mounted ${a.device} at ${a.path}`);
    } else {
      const info = parseBlkidExport((await run(blkidArgv(a.device))).stdout);
      const before = await readFile(o.fstabFile, "utf8").catch(() => "");
      const after = upsertFstabLine(
        before,
        a.path,
        fstabLine(need(info.uuid, `init: the UUID of ${a.device}`), a.path, info.type ?? "ext4"),
      );
      if (after !== before) {
        await writeFileAtomic(o.fstabFile, after, 0o644);
        await chmod(o.fstabFile, 0o644);
        o.say(`persisted the mount in ${o.fstabFile}`);
      }
    }
  }
}

/**
 * The attached volume's block device: the NVMe by-id link, lsblk's serials, or the Xen name. Also
 * finds a rollback's source volume (publish/rollback-source.ts).
 */
export async function findDevice(
  run: Run,
  volumeId: string,
  o: Pick<InitOptions, "byIdDir" | "device">,
): Promise<string> {
  return poll<string>(
    async () => {
      const link = await realpath(join(o.byIdDir, ebsByIdName(volumeId))).catch(() => undefined);
      if (link) return { state: "SUCCESS", value: link };
      const out = await run(lsblkArgv()).catch(() => undefined);
      const name = out ? findEbsDevice(parseLsblk(out.stdout), volumeId, o.device) : undefined;
      if (name) return { state: "SUCCESS", value: `/dev/${name}` };
      const named = await realpath(o.device).catch(() => undefined);
      return named
        ? { state: "SUCCESS", value: named }
        : { state: "RETRY", reason: `no block device for ${volumeId} yet` };
    },
    { what: `the block device of ${volumeId}`, maxWaitMs: 120_000, minDelayMs: 200, maxDelayMs: 5000 },
  );
}

/** Waits until the volume satisfies `ok` (init's volume, and a rollback's source volume). */
export async function waitVolume(
  aws: AwsClients,
  volumeId: string,
  ok: (v: Volume) => boolean,
  what: string,
): Promise<void> {
  await poll<true>(
    async () => {
      const out = await awsSend(aws.ec2, new DescribeVolumesCommand({ VolumeIds: [volumeId] }), { volumeId });
      const v = out.Volumes?.[0];
      if (!v) return { state: "FAILURE", reason: "the volume no longer exists" };
      return ok(v) ? { state: "SUCCESS", value: true } : { state: "RETRY", reason: v.State ?? "unknown" };
    },
    { what: `volume ${volumeId} ${what}`, maxWaitMs: 300_000, minDelayMs: 250, maxDelayMs: 5000 },
  );
}

function toObserved(v: Volume): ObservedVolume {
  const attached = v.Attachments?.find((a) => a.State === "attached" || a.State === "attaching");
  return {
    volumeId: v.VolumeId ?? "",
    state: v.State ?? "",
    availabilityZone: v.AvailabilityZone ?? "",
    ...(attached?.InstanceId ? { attachedTo: attached.InstanceId } : {}),
  };
}
