// What a fresh region holds, as a new AWS account sees it: a default VPC with one default subnet
// per AZ and a default security group, and a few public AMIs. The AMI ids are fixed (the same in
// every region of the sim) so tests and examples can name them.
import { newId } from "../../state/ids.js";
import type { RegionState } from "../../state/store.js";
import type { Image, SecurityGroup, Subnet } from "../../state/types.js";

export const DEBIAN_12_AMI = "ami-0d3b1a12000000001";
export const UBUNTU_2404_AMI = "ami-0c0a4b24040000001";
export const AL2023_AMI = "ami-0a12023a000000001";

/** Amazon's public AMI account (owner alias "amazon"). */
export const AMAZON_OWNER_ID = "137112412989";
/** The accounts Debian and Canonical publish their official AMIs from, as in every AWS region. */
export const DEBIAN_OWNER_ID = "136693071363";
export const CANONICAL_OWNER_ID = "099720109477";

const SEED_IMAGES: {
  imageId: string;
  snapshotId: string;
  name: string;
  description: string;
  ownerId: string;
}[] = [
  {
    ownerId: DEBIAN_OWNER_ID,
    imageId: DEBIAN_12_AMI,
    snapshotId: "snap-0d3b1a12000000001",
    name: "debian-12-amd64-20240717-1811",
    description: "Debian 12 (20240717-1811)",
  },
  {
    ownerId: CANONICAL_OWNER_ID,
    imageId: UBUNTU_2404_AMI,
    snapshotId: "snap-0c0a4b24040000001",
    name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20240801",
    description: "Canonical, Ubuntu, 24.04, amd64 noble image",
  },
  {
    ownerId: AMAZON_OWNER_ID,
    imageId: AL2023_AMI,
    snapshotId: "snap-0a12023a000000001",
    name: "al2023-ami-2023.5.20240805.0-kernel-6.1-x86_64",
    description: "Amazon Linux 2023 AMI 2023.5.20240805.0 x86_64 HVM kernel-6.1",
  },
];

const SEED_DATE = new Date("2024-08-01T00:00:00.000Z");

export function seedRegion(region: RegionState): void {
  const vpcId = newId("vpc");
  region.vpcs.set(vpcId, {
    vpcId,
    cidrBlock: "172.31.0.0/16",
    isDefault: true,
    state: "available",
    tags: {},
  });
  region.availabilityZones.forEach((az, i) => {
    const subnet: Subnet = {
      subnetId: newId("subnet"),
      vpcId,
      availabilityZone: az,
      // Labels only: instance addresses come from 127.0.0.0/8 (ip-allocator.ts).
      cidrBlock: `172.31.${(i * 16) % 256}.0/20`,
      mapPublicIpOnLaunch: true,
      defaultForAz: true,
      state: "available",
      tags: {},
    };
    region.subnets.set(subnet.subnetId, subnet);
  });
  addDefaultSecurityGroup(region, vpcId);
  for (const seed of SEED_IMAGES) {
    const image: Image = {
      imageId: seed.imageId,
      name: seed.name,
      description: seed.description,
      ownerId: seed.ownerId,
      ...(seed.ownerId === AMAZON_OWNER_ID ? { imageOwnerAlias: "amazon" } : {}),
      public: true,
      state: "available",
      architecture: "x86_64",
      rootDeviceName: "/dev/xvda",
      rootSnapshotId: seed.snapshotId,
      rootVolumeSize: 8,
      creationDate: SEED_DATE,
      tags: {},
    };
    region.images.set(image.imageId, image);
    region.snapshots.set(seed.snapshotId, {
      snapshotId: seed.snapshotId,
      volumeId: "vol-ffffffff",
      volumeSize: 8,
      state: "completed",
      progress: "100%",
      startTime: SEED_DATE,
      ownerId: seed.ownerId,
      description: `Root volume of ${seed.name}`,
      encrypted: false,
      tags: {},
      sharedWith: ["all"],
    });
  }
}

/** Every VPC gets a security group named "default" when it is created. */
export function addDefaultSecurityGroup(region: RegionState, vpcId: string): SecurityGroup {
  const group: SecurityGroup = {
    groupId: newId("sg"),
    groupName: "default",
    description: "default VPC security group",
    vpcId,
    tags: {},
  };
  region.securityGroups.set(group.groupId, group);
  return group;
}
