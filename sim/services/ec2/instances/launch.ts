// Creates an instance from a prepared launch: its record in `pending`, a private IP on loopback,
// the root and mapped volumes, and the move to `running` after the configured delay (booting the
// host when the instance is a full one).
import { randomBytes } from "node:crypto";
import { newId } from "../../../state/ids.js";
import type { RegionState } from "../../../state/store.js";
import type { Instance, InstanceBlockDevice } from "../../../state/types.js";
import type { Ec2Context } from "../context.js";
import { createVolumeRecord } from "../ebs/volume-store.js";
import { bootHost } from "./boot.js";
import type { PreparedLaunch } from "./prepare.js";

export interface LaunchSlot {
  reservationId: string;
  amiLaunchIndex: number;
  clientToken?: string;
  /** The operation whose eventual-consistency fault applies to the new instance. */
  op: string;
}

export async function launchPrepared(
  ec2: Ec2Context,
  region: RegionState,
  p: PreparedLaunch,
  slot: LaunchSlot,
): Promise<Instance> {
  const now = ec2.now();
  const req = p.req;
  const instance: Instance = {
    instanceId: newId("i"),
    imageId: p.image.imageId,
    instanceType: req.instanceType,
    keyName: p.keyPair?.keyName,
    state: "pending",
    stateTransitionReason: "",
    launchTime: now,
    availabilityZone: p.subnet.availabilityZone,
    subnetId: p.subnet.subnetId,
    vpcId: p.subnet.vpcId,
    privateIpAddress: ec2.ips.allocate(),
    securityGroupIds: p.groups.map((g) => g.groupId),
    userData: req.userData,
    iamInstanceProfile: p.iamInstanceProfile,
    ebsOptimized: req.ebsOptimized ?? false,
    launchTemplate: req.launchTemplate,
    tags: p.instanceTags,
    blockDevices: [],
    hostKind: p.hostKind,
    reservationId: slot.reservationId,
    amiLaunchIndex: slot.amiLaunchIndex,
    clientToken: slot.clientToken,
    macAddress: macAddress(),
    networkInterfaceId: newId("eni"),
    metadataOptions: p.metadataOptions,
  };
  instance.blockDevices = await createLaunchVolumes(ec2, region, instance, p);
  region.instances.set(instance.instanceId, instance);
  ec2.sim.faults.created(slot.op, instance.instanceId);
  ec2.sim.clock.after(ec2.sim.options.delays.instancePendingMs, `run ${instance.instanceId}`, () => {
    if (instance.state !== "pending") return;
    instance.state = "running";
    instance.hasRun = true;
    if (instance.hostKind === "full") bootHost(ec2, region, instance);
  });
  return instance;
}

/** The root volume from the image, plus one volume per EBS mapping, attached from the start. */
async function createLaunchVolumes(
  ec2: Ec2Context,
  region: RegionState,
  instance: Instance,
  p: PreparedLaunch,
): Promise<InstanceBlockDevice[]> {
  const root = p.image.rootDeviceName;
  const mappings = p.mappings.filter((m) => m.ebs && !m.noDevice);
  if (!mappings.some((m) => m.deviceName === root)) mappings.unshift({ deviceName: root, ebs: {} });
  const devices: InstanceBlockDevice[] = [];
  for (const m of mappings) {
    const ebs = m.ebs ?? {};
    const isRoot = m.deviceName === root;
    const volume = await createVolumeRecord(ec2, region, {
      availabilityZone: instance.availabilityZone,
      size: ebs.volumeSize ?? (isRoot ? p.image.rootVolumeSize : undefined),
      snapshotId: ebs.snapshotId ?? (isRoot ? p.image.rootSnapshotId : undefined),
      volumeType: ebs.volumeType ?? "gp3",
      iops: ebs.iops,
      throughput: ebs.throughput,
      encrypted: ebs.encrypted,
      kmsKeyId: ebs.kmsKeyId,
      tags: { ...p.volumeTags },
      state: "in-use",
      // The root of a full instance is the machine's own filesystem; other volumes are real images.
      withImage: p.hostKind === "full" && !isRoot,
    });
    const deleteOnTermination = ebs.deleteOnTermination ?? true;
    volume.attachments = [
      {
        instanceId: instance.instanceId,
        device: m.deviceName,
        state: "attached",
        attachTime: instance.launchTime,
        deleteOnTermination,
      },
    ];
    devices.push({
      deviceName: m.deviceName,
      volumeId: volume.volumeId,
      deleteOnTermination,
      attachTime: instance.launchTime,
    });
  }
  return devices;
}

function macAddress(): string {
  const b = randomBytes(5);
  // 0e: locally administered unicast, the range EC2 uses in VPCs.
  return ["0e", ...[...b].map((x) => x.toString(16).padStart(2, "0"))].join(":");
}

export function newReservationId(): string {
  return newId("r");
}
