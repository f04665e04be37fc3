// AttachVolume and DetachVolume: same-AZ and state checks as EC2 makes them, `attaching` ->
// `attached` and `detaching` -> gone after the configured delay, and on full instances the volume
// image really reaches (or leaves) the host.
import { SimError } from "../../../api/errors.js";
import type { RegionState } from "../../../state/store.js";
import type { Instance, Volume } from "../../../state/types.js";
import type { Ec2Context, Ec2Op } from "../context.js";
import { getInstance, getVolume } from "../lookup.js";
import { attachmentXml } from "./shape.js";
import { ensureVolumeImage } from "./volume-store.js";

const DEVICE_RE = /^\/dev\/(sd[b-z][1-9]?|xvd[b-z][a-z]?|xvda|sda1?|nvme[0-9]+n1)$/;

export const attachVolume: Ec2Op = ({ region, params }, ec2) => {
  const device = params.req("Device");
  const instance = getInstance(region, params.req("InstanceId"));
  const volume = getVolume(region, params.req("VolumeId"));
  if (!DEVICE_RE.test(device))
    throw new SimError(
      "InvalidParameterValue",
      `Value (${device}) for parameter device is invalid. ${device} is not a valid EBS device name.`,
    );
  if (volume.attachments.length)
    throw new SimError("VolumeInUse", `${volume.volumeId} is already attached to an instance`);
  if (volume.state !== "available")
    throw new SimError("IncorrectState", `Volume '${volume.volumeId}' is in the '${volume.state}' state.`);
  if (instance.state !== "running" && instance.state !== "stopped")
    throw new SimError("IncorrectState", `Instance '${instance.instanceId}' is not 'running'.`);
  if (volume.availabilityZone !== instance.availabilityZone)
    throw new SimError(
      "InvalidVolume.ZoneMismatch",
      `The volume '${volume.volumeId}' is not in the same availability zone as instance '${instance.instanceId}'`,
    );
  if (instance.blockDevices.some((d) => d.deviceName === device))
    throw new SimError(
      "InvalidParameterValue",
      `Invalid value '${device}' for unixDevice. Attachment point ${device} is already in use`,
    );
  const attachTime = ec2.now();
  const attachment = {
    instanceId: instance.instanceId,
    device,
    state: "attaching" as const,
    attachTime,
    deleteOnTermination: false,
  };
  volume.attachments = [attachment];
  volume.state = "in-use";
  instance.blockDevices.push({
    deviceName: device,
    volumeId: volume.volumeId,
    deleteOnTermination: false,
    attachTime,
  });
  ec2.schedule(`attach ${volume.volumeId}`, ec2.sim.options.delays.volumeAttachMs, () =>
    completeAttach(ec2, instance, volume, device),
  );
  return attachmentXml(volume.volumeId, attachment);
};

async function completeAttach(
  ec2: Ec2Context,
  instance: Instance,
  volume: Volume,
  device: string,
): Promise<void> {
  const attachment = volume.attachments.find((a) => a.instanceId === instance.instanceId);
  if (!attachment || attachment.state !== "attaching") return;
  // A host that is still booting gets its volumes at boot (instances/boot.ts).
  if (instance.hostKind === "full" && ec2.hosts.has(instance.instanceId)) {
    try {
      const image = await ensureVolumeImage(ec2, volume);
      await ec2.hosts.attachVolume(instance.instanceId, volume.volumeId, image, device);
    } catch (err) {
      // EC2 leaves such an attachment `attaching`; the cause is kept for the control API.
      ec2.sim.recordError(`attach ${volume.volumeId} to ${instance.instanceId}`, err);
      return;
    }
  }
  if (attachment.state === "attaching") attachment.state = "attached";
}

export const detachVolume: Ec2Op = ({ region, params }, ec2) => {
  const volume = getVolume(region, params.req("VolumeId"));
  const instanceId = params.str("InstanceId");
  const device = params.str("Device");
  const attachment = volume.attachments[0];
  if (!attachment)
    throw new SimError("IncorrectState", `Volume '${volume.volumeId}' is in the '${volume.state}' state.`);
  if ((instanceId && attachment.instanceId !== instanceId) || (device && attachment.device !== device))
    throw new SimError(
      "InvalidAttachment.NotFound",
      `Volume '${volume.volumeId}' can not be detached from '${instanceId ?? device}' because it is not attached there`,
    );
  const instance = region.instances.get(attachment.instanceId);
  const rootDevice = instance ? region.images.get(instance.imageId)?.rootDeviceName : undefined;
  if (instance && attachment.device === rootDevice && instance.state === "running")
    throw new SimError(
      "OperationNotPermitted",
      `Unable to detach root volume '${volume.volumeId}' from instance '${instance.instanceId}'`,
    );
  attachment.state = "detaching";
  ec2.cancel(`attach ${volume.volumeId}`);
  const force = params.bool("Force") ?? false;
  ec2.schedule(`detach ${volume.volumeId}`, ec2.sim.options.delays.volumeAttachMs, () =>
    completeDetach(ec2, region, volume, attachment.instanceId, force),
  );
  return attachmentXml(volume.volumeId, attachment);
};

async function completeDetach(
  ec2: Ec2Context,
  region: RegionState,
  volume: Volume,
  instanceId: string,
  force: boolean,
): Promise<void> {
  if (ec2.hosts.has(instanceId)) {
    try {
      await ec2.hosts.detachVolume(instanceId, volume.volumeId);
    } catch (err) {
      ec2.sim.recordError(`detach ${volume.volumeId} from ${instanceId}`, err);
      // A busy filesystem keeps the attachment `detaching`, as in EC2, unless the detach is forced.
      if (!force) return;
    }
  }
  volume.attachments = volume.attachments.filter((a) => a.instanceId !== instanceId);
  if (volume.attachments.length === 0 && volume.state === "in-use") volume.state = "available";
  const instance = region.instances.get(instanceId);
  if (instance) instance.blockDevices = instance.blockDevices.filter((d) => d.volumeId !== volume.volumeId);
}
