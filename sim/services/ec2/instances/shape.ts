// An instance as DescribeInstances and RunInstances return it (`instancesSet` item), and the
// grouping of instances into `reservationSet` items.
import type { XmlValue } from "../../../api/xml.js";
import type { RegionState } from "../../../state/store.js";
import type { Instance, InstanceStateName } from "../../../state/types.js";
import { ec2TagSet } from "../../common/tags.js";
import { privateDnsName } from "./boot.js";

export const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  "shutting-down": 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export function stateXml(name: InstanceStateName): XmlValue {
  return { code: STATE_CODES[name], name };
}

export function instanceXml(region: RegionState, accountId: string, i: Instance): XmlValue {
  const gone = i.state === "terminated";
  const ending = gone || i.state === "shutting-down";
  const userShutdown = ending || i.state === "stopping" || i.state === "stopped";
  const groups = i.securityGroupIds.map((groupId) => ({
    groupId,
    groupName: region.securityGroups.get(groupId)?.groupName ?? "",
  }));
  const dns = gone ? "" : privateDnsName(region.name, i.privateIpAddress);
  return {
    instanceId: i.instanceId,
    imageId: i.imageId,
    instanceState: stateXml(i.state),
    privateDnsName: dns,
    dnsName: "",
    reason: i.stateTransitionReason,
    keyName: i.keyName,
    amiLaunchIndex: i.amiLaunchIndex ?? 0,
    productCodes: [],
    instanceType: i.instanceType,
    launchTime: i.launchTime,
    placement: { availabilityZone: i.availabilityZone, groupName: "", tenancy: "default" },
    monitoring: { state: "disabled" },
    subnetId: gone ? undefined : i.subnetId,
    vpcId: gone ? undefined : i.vpcId,
    privateIpAddress: gone ? undefined : i.privateIpAddress,
    ipAddress: gone ? undefined : i.publicIpAddress,
    sourceDestCheck: true,
    groupSet: groups,
    stateReason: userShutdown
      ? {
          code: "Client.UserInitiatedShutdown",
          message: "Client.UserInitiatedShutdown: User initiated shutdown",
        }
      : undefined,
    architecture: region.images.get(i.imageId)?.architecture ?? "x86_64",
    rootDeviceType: "ebs",
    rootDeviceName: region.images.get(i.imageId)?.rootDeviceName ?? "/dev/xvda",
    blockDeviceMapping: i.blockDevices.map((d) => ({
      deviceName: d.deviceName,
      ebs: {
        volumeId: d.volumeId,
        status:
          region.volumes.get(d.volumeId)?.attachments.find((a) => a.instanceId === i.instanceId)?.state ??
          "attached",
        attachTime: d.attachTime,
        deleteOnTermination: d.deleteOnTermination,
      },
    })),
    virtualizationType: "hvm",
    clientToken: i.clientToken ?? "",
    tagSet: ec2TagSet(i.tags),
    hypervisor: "xen",
    networkInterfaceSet: gone ? [] : [networkInterfaceXml(accountId, i, groups, dns)],
    iamInstanceProfile: i.iamInstanceProfile
      ? { arn: i.iamInstanceProfile.arn, id: i.iamInstanceProfile.id ?? profileId(i.iamInstanceProfile.arn) }
      : undefined,
    ebsOptimized: i.ebsOptimized,
    enaSupport: true,
    metadataOptions: i.metadataOptions
      ? { state: "applied", ...i.metadataOptions, httpProtocolIpv6: "disabled" }
      : undefined,
    platformDetails: "Linux/UNIX",
    usageOperation: "RunInstances",
    bootMode: "uefi-preferred",
    currentInstanceBootMode: "legacy-bios",
  };
}

function networkInterfaceXml(
  accountId: string,
  i: Instance,
  groups: { groupId: string; groupName: string }[],
  dns: string,
): XmlValue {
  return {
    attachment: {
      attachTime: i.launchTime,
      attachmentId: `eni-attach-${(i.networkInterfaceId ?? "eni-0").slice(4)}`,
      deleteOnTermination: true,
      deviceIndex: 0,
      status: "attached",
      networkCardIndex: 0,
    },
    description: "",
    groupSet: groups,
    macAddress: i.macAddress,
    networkInterfaceId: i.networkInterfaceId,
    ownerId: accountId,
    privateDnsName: dns,
    privateIpAddress: i.privateIpAddress,
    privateIpAddressesSet: [{ primary: true, privateIpAddress: i.privateIpAddress, privateDnsName: dns }],
    sourceDestCheck: true,
    status: "in-use",
    subnetId: i.subnetId,
    vpcId: i.vpcId,
    interfaceType: "interface",
  };
}

// Instance profile ids are AIPA + 17 characters; derive a stable one from the ARN.
function profileId(arn: string): string {
  let h = 0;
  for (const c of arn) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `AIPA${h.toString(36).toUpperCase().padStart(17, "X").slice(0, 17)}`;
}

/** Groups instances (already in order and paged) into reservations, keeping the order of first appearance. */
export function reservationsXml(region: RegionState, accountId: string, instances: Instance[]): XmlValue {
  const byReservation = new Map<string, Instance[]>();
  for (const i of instances) {
    const key = i.reservationId ?? i.instanceId;
    const list = byReservation.get(key) ?? [];
    list.push(i);
    byReservation.set(key, list);
  }
  return [...byReservation].map(([reservationId, members]) => ({
    reservationId,
    ownerId: accountId,
    groupSet: [],
    instancesSet: members.map((m) => instanceXml(region, accountId, m)),
  }));
}
