// Names a host shows for an attached EBS volume, as on Nitro instances: the NVMe by-id link that
// carries the volume id without its dash, and the requested device name with its sd/xvd twin
// (what amazon-ec2-utils' udev rules create).
import { HostError } from "./errors.js";

const volumeIdPattern = /^vol-[0-9a-zA-Z]+$/;
// Only block-device style names: a symlink named /dev/null or /dev/loop0 would break the host.
const deviceNamePattern = /^\/dev\/(sd|xvd|hd)([a-z]{1,2}[0-9]{0,2})$/;

export const BY_ID_DIR = "/dev/disk/by-id";

export function checkVolumeId(volumeId: string, instanceId?: string): void {
  if (!volumeIdPattern.test(volumeId)) {
    throw new HostError("InvalidParameterValue", `invalid volume id: ${volumeId}`, instanceId);
  }
}

/** "vol-0abc" -> "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0abc" */
export function nvmeByIdPath(volumeId: string): string {
  return `${BY_ID_DIR}/nvme-Amazon_Elastic_Block_Store_${volumeId.replace("-", "")}`;
}

/** "/dev/sdf" -> ["/dev/sdf", "/dev/xvdf"]; throws InvalidParameterValue for other names. */
export function deviceAliases(deviceName: string, instanceId?: string): string[] {
  const m = deviceNamePattern.exec(deviceName);
  if (!m) {
    throw new HostError("InvalidParameterValue", `invalid device name: ${deviceName}`, instanceId);
  }
  const [, kind, rest] = m;
  if (kind === "sd") return [deviceName, `/dev/xvd${rest}`];
  if (kind === "xvd") return [deviceName, `/dev/sd${rest}`];
  return [deviceName];
}
