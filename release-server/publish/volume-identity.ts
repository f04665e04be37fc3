// The release volume's filesystem as this host sees it: its UUID and label, which every volume made
// from its snapshots carries too (the target proof compares them, target-proof.ts). The device is
// found by the number of the filesystem mounted at the path: a mount of it in this namespace names
// it, else sysfs does (the path may be another namespace's, seen through /proc/PID/root).
import { readFile, stat } from "node:fs/promises";
import { AsgReleaseError } from "#shared/errors.js";
import { majorMinor } from "#shared/fs/device-number.js";
import { BLKID_NOTHING_FOUND, parseBlkidExport } from "#shared/proc/argv/blkid.js";
import { parseMountinfo } from "#shared/proc/argv/mount.js";
import type { Run } from "#shared/proc/run.js";

export interface VolumeIdentity {
  uuid: string;
  label: string;
  device: string;
}

export async function releaseVolumeIdentity(run: Run, mountPath: string): Promise<VolumeIdentity> {
  const number = majorMinor((await stat(mountPath, { bigint: true })).dev);
  const device = await deviceOf(number);
  const fail = (why: string) =>
    new AsgReleaseError(`cannot tell the release volume's filesystem at ${mountPath}: ${why}`, {
      code: "ReleaseVolume",
      context: { mountPath, device: number },
    });
  if (!device) throw fail(`no block device ${number} is known to this host`);
  // -p: from the device itself, not blkid's cache.
  const out = await run(["blkid", "-p", "-o", "export", device], { okExitCodes: [0, BLKID_NOTHING_FOUND] });
  const info = parseBlkidExport(out.stdout);
  if (!info.uuid) throw fail(`${device} shows no filesystem UUID`);
  return { uuid: info.uuid, label: info.label ?? "", device };
}

async function deviceOf(number: string): Promise<string | undefined> {
  const mounts = parseMountinfo(await readFile("/proc/self/mountinfo", "utf8"));
  const mounted = mounts.find((m) => m.majorMinor === number && m.source.startsWith("/dev/"));
  if (mounted) return mounted.source;
  const uevent = await readFile(`/sys/dev/block/${number}/uevent`, "utf8").catch(() => "");
  const name = /^DEVNAME=(.+)$/m.exec(uevent)?.[1];
  return name ? `/dev/${name}` : undefined;
}
