// EBS attach and detach on a full host: the image file gets a loop device, and the host sees it as
// on Nitro, /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol<id> and the requested device name
// (links in the host's own /dev). Detach acts like a forced detach: mounts of the device in the host
// are detached lazily first.
import { basename } from "node:path";
import type { VolumeAttachment } from "../driver.js";
import { readMountinfo } from "../proc/mountinfo.js";
import type { Holder } from "./holder.js";
import type { HostExec } from "./host-exec.js";
import { bindLoop, majorMinor, releaseLoop } from "./loop.js";
import { deviceAliases, nvmeByIdPath } from "../naming.js";

// Pairs of (target, link), so that one nsenter does all of them.
const LINK_ALL = 'mkdir -p /dev/disk/by-id && while [ "$#" -gt 1 ]; do ln -sfn "$1" "$2"; shift 2; done';
const UNMOUNT_AND_UNLINK =
  'for a; do case "$a" in umount:*) umount -l "${a#umount:}";; *) rm -f "$a";; esac; done';

function links(volumeId: string, deviceName: string, loopDevice: string): [string, string][] {
  const name = basename(loopDevice);
  return [
    [`../../${name}`, nvmeByIdPath(volumeId)],
    ...deviceAliases(deviceName).map((d): [string, string] => [name, d]),
  ];
}

export async function attachVolume(
  exec: HostExec,
  volumeId: string,
  imagePath: string,
  deviceName: string,
): Promise<VolumeAttachment> {
  const loopDevice = await bindLoop(imagePath);
  try {
    await exec.exec(["/bin/sh", "-c", LINK_ALL, "sh", ...links(volumeId, deviceName, loopDevice).flat()]);
  } catch (e) {
    await releaseLoop(loopDevice);
    throw e;
  }
  return { volumeId, imagePath, deviceName, loopDevice, byIdPath: nvmeByIdPath(volumeId) };
}

export async function detachVolume(holder: Holder, exec: HostExec, a: VolumeAttachment): Promise<void> {
  const device = majorMinor(a.loopDevice);
  // Deepest first, so that a mount on top of the volume's mount goes before it.
  const points = readMountinfo(holder.pid)
    .filter((m) => m.majorMinor === device)
    .map((m) => m.mountPoint)
    .sort((x, y) => y.length - x.length);
  const unlink = links(a.volumeId, a.deviceName, a.loopDevice).map(([, link]) => link);
  await exec.exec([
    "/bin/sh",
    "-c",
    UNMOUNT_AND_UNLINK,
    "sh",
    ...points.map((p) => `umount:${p}`),
    ...unlink,
  ]);
  // A mount still held elsewhere (a container's copy of it) keeps the device until released;
  // losetup -d then marks it to detach by itself.
  await releaseLoop(a.loopDevice);
}
