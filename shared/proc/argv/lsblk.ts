// Finding the block device of an EBS volume, as the ECS agent does
// (ecs-agent/api/attachment/resource/ebs_discovery_linux.go): on Nitro instances the NVMe
// serial is the volume id without its dash; on Xen the kernel renames the attachment's `sdX` to `xvdX`.

export const lsblkArgv = (): string[] => ["lsblk", "--json", "--output", "NAME,SERIAL,TYPE"];

export interface BlockDevice {
  name: string;
  serial: string;
  type: string;
  children: BlockDevice[];
}

export function parseLsblk(stdout: string): BlockDevice[] {
  const doc = JSON.parse(stdout) as { blockdevices?: unknown[] };
  return (doc.blockdevices ?? []).map(toDevice);
}

function toDevice(raw: unknown): BlockDevice {
  const r = (raw ?? {}) as Record<string, unknown>;
  return {
    name: typeof r.name === "string" ? r.name : "",
    // lsblk prints null for devices without a serial (loop devices, Xen disks).
    serial: typeof r.serial === "string" ? r.serial.trim() : "",
    type: typeof r.type === "string" ? r.type : "",
    children: Array.isArray(r.children) ? r.children.map(toDevice) : [],
  };
}

/** `vol-0abc` -> `vol0abc`: the NVMe serial (and by-id name part) of an EBS volume. */
export const ebsSerial = (volumeId: string): string => volumeId.replace("-", "");

/** The udev link Nitro instances get for an EBS volume (amazon-ec2-utils / systemd 60-persistent-storage rules). */
export const ebsByIdName = (volumeId: string): string =>
  `nvme-Amazon_Elastic_Block_Store_${ebsSerial(volumeId)}`;

/** Kernel names the attachment device `/dev/sdf` (or `xvdf`) may have: Xen renames sd* to xvd*. */
export function xenNames(attachmentDevice: string): string[] {
  const short = attachmentDevice.slice(attachmentDevice.lastIndexOf("/") + 1);
  const letters = short.replace(/^(xv|s)d/, "");
  if (letters === short) return [short];
  return [`xvd${letters}`, `sd${letters}`];
}

/**
 * The device name (without /dev/) for a volume: a whole disk whose serial is the volume id without
 * its dash; else, among disks without a serial, one named as the attachment device (Xen).
 */
export function findEbsDevice(
  devices: readonly BlockDevice[],
  volumeId: string,
  attachmentDevice: string | undefined,
): string | undefined {
  const serial = ebsSerial(volumeId);
  const bySerial = devices.find((d) => d.serial === serial);
  if (bySerial) return bySerial.name;
  if (!attachmentDevice) return undefined;
  const names = xenNames(attachmentDevice);
  return devices.find((d) => d.serial === "" && names.includes(d.name))?.name;
}
