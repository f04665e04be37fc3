// The volumes attached to one host, with the checks EC2 makes on attach and detach
// (same volume twice: VolumeInUse; device name taken: InvalidParameterValue; not attached: IncorrectState).
import type { VolumeAttachment } from "./driver.js";
import { HostError } from "./errors.js";
import { checkVolumeId, deviceAliases } from "./naming.js";

export class VolumeTable {
  private readonly byVolume = new Map<string, VolumeAttachment>();

  constructor(private readonly instanceId: string) {}

  /** Throws unless `volumeId` may be attached at `deviceName`. */
  checkAttach(volumeId: string, deviceName: string): void {
    checkVolumeId(volumeId, this.instanceId);
    deviceAliases(deviceName, this.instanceId);
    if (this.byVolume.has(volumeId)) {
      throw new HostError("VolumeInUse", `${volumeId} is already attached`, this.instanceId);
    }
    for (const a of this.byVolume.values()) {
      if (deviceAliases(a.deviceName).includes(deviceName)) {
        throw new HostError(
          "InvalidParameterValue",
          `Attachment point ${deviceName} is already in use`,
          this.instanceId,
        );
      }
    }
  }

  add(attachment: VolumeAttachment): void {
    this.checkAttach(attachment.volumeId, attachment.deviceName);
    this.byVolume.set(attachment.volumeId, attachment);
  }

  get(volumeId: string): VolumeAttachment {
    const a = this.byVolume.get(volumeId);
    if (!a) throw new HostError("IncorrectState", `${volumeId} is not attached`, this.instanceId);
    return a;
  }

  remove(volumeId: string): void {
    this.byVolume.delete(volumeId);
  }

  list(): VolumeAttachment[] {
    return [...this.byVolume.values()];
  }
}
