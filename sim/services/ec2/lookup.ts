// Finding the resources a request names, with EC2's errors when they are missing or malformed.
import { SimError } from "../../api/errors.js";
import type { RegionState } from "../../state/store.js";
import type {
  Image,
  Instance,
  KeyPair,
  SecurityGroup,
  Snapshot,
  Subnet,
  Volume,
  Vpc,
} from "../../state/types.js";
import {
  checkIds,
  groupNotFound,
  imageNotFound,
  instanceNotFound,
  keyPairNotFound,
  snapshotNotFound,
  subnetNotFound,
  volumeNotFound,
  vpcNotFound,
} from "./errors.js";

export function defaultVpc(region: RegionState): Vpc | undefined {
  for (const vpc of region.vpcs.values()) if (vpc.isDefault) return vpc;
  return undefined;
}

/** The default subnet of an AZ (the first AZ's when none is given), as RunInstances picks one. */
export function defaultSubnet(region: RegionState, availabilityZone?: string): Subnet {
  const az = availabilityZone ?? region.availabilityZones[0];
  for (const s of region.subnets.values()) if (s.defaultForAz && s.availabilityZone === az) return s;
  const vpc = defaultVpc(region);
  throw vpc
    ? new SimError(
        "MissingInput",
        `No subnets found for the default VPC '${vpc.vpcId}'. Please specify a subnet.`,
      )
    : new SimError(
        "VPCIdNotSpecified",
        "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.",
      );
}

export function getVpc(region: RegionState, vpcId: string): Vpc {
  checkIds([vpcId], "vpc", "InvalidVpcID.Malformed");
  const vpc = region.vpcs.get(vpcId);
  if (!vpc) throw vpcNotFound(vpcId);
  return vpc;
}

export function getSubnet(region: RegionState, subnetId: string): Subnet {
  const subnet = region.subnets.get(subnetId);
  if (!subnet) throw subnetNotFound(subnetId);
  return subnet;
}

export function getImage(region: RegionState, imageId: string): Image {
  checkIds([imageId], "ami", "InvalidAMIID.Malformed");
  const image = region.images.get(imageId);
  if (!image) throw imageNotFound([imageId]);
  return image;
}

export function getKeyPair(region: RegionState, keyName: string): KeyPair {
  const key = region.keyPairs.get(keyName);
  if (!key) throw keyPairNotFound(keyName);
  return key;
}

/** An instance that is still known (terminated ones are, for a while). */
export function getInstance(region: RegionState, instanceId: string): Instance {
  checkIds([instanceId], "i", "InvalidInstanceID.Malformed");
  const instance = region.instances.get(instanceId);
  if (!instance) throw instanceNotFound([instanceId]);
  return instance;
}

export function getVolume(region: RegionState, volumeId: string): Volume {
  checkIds([volumeId], "vol", "InvalidVolume.Malformed");
  const volume = region.volumes.get(volumeId);
  if (!volume) throw volumeNotFound([volumeId]);
  return volume;
}

/** A snapshot this account may see: its own, shared with it, or public. */
export function getSnapshot(region: RegionState, snapshotId: string, accountId: string): Snapshot {
  checkIds([snapshotId], "snap", "InvalidSnapshot.Malformed");
  const snapshot = region.snapshots.get(snapshotId);
  if (!snapshot || !snapshotVisibleTo(snapshot, accountId)) throw snapshotNotFound([snapshotId]);
  return snapshot;
}

export function snapshotVisibleTo(snapshot: Snapshot, accountId: string): boolean {
  const shared = snapshot.sharedWith ?? [];
  return snapshot.ownerId === accountId || shared.includes("all") || shared.includes(accountId);
}

export function defaultSecurityGroup(region: RegionState, vpcId: string): SecurityGroup {
  for (const g of region.securityGroups.values())
    if (g.vpcId === vpcId && g.groupName === "default") return g;
  throw groupNotFound("default", vpcId);
}

/** Security groups given by id and/or by name, all of which must be in `vpcId`. */
export function resolveSecurityGroups(
  region: RegionState,
  vpcId: string,
  ids: string[],
  names: string[],
): SecurityGroup[] {
  const groups: SecurityGroup[] = [];
  for (const id of ids) {
    checkIds([id], "sg", "InvalidGroupId.Malformed");
    const group = region.securityGroups.get(id);
    if (!group) throw groupNotFound(id);
    if (group.vpcId !== vpcId)
      throw new SimError("InvalidParameter", `Security group ${id} and subnet belong to different networks.`);
    groups.push(group);
  }
  for (const name of names) {
    const group = [...region.securityGroups.values()].find((g) => g.vpcId === vpcId && g.groupName === name);
    if (!group) throw groupNotFound(name, vpcId);
    groups.push(group);
  }
  return groups;
}
