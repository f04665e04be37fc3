// Every EC2 resource that carries tags, found by its id prefix, for CreateTags, DeleteTags and
// DescribeTags.
import { SimError } from "../../api/errors.js";
import type { RegionState } from "../../state/store.js";
import type { Tags } from "../../state/types.js";
import {
  checkIds,
  groupNotFound,
  imageNotFound,
  instanceNotFound,
  snapshotNotFound,
  subnetNotFound,
  volumeNotFound,
  vpcNotFound,
} from "./errors.js";
import { snapshotVisibleTo } from "./lookup.js";

export interface Taggable {
  resourceId: string;
  resourceType: string;
  tags: Tags;
}

interface Kind {
  prefix: string;
  resourceType: string;
  malformed: string;
  find: (region: RegionState, id: string, accountId: string) => { tags: Tags } | undefined;
  notFound: (id: string) => SimError;
  all: (region: RegionState) => { id: string; tags: Tags }[];
}

const KINDS: Kind[] = [
  {
    prefix: "i",
    resourceType: "instance",
    malformed: "InvalidInstanceID.Malformed",
    find: (r, id) => r.instances.get(id),
    notFound: (id) => instanceNotFound([id]),
    all: (r) => [...r.instances.values()].map((x) => ({ id: x.instanceId, tags: x.tags })),
  },
  {
    prefix: "vol",
    resourceType: "volume",
    malformed: "InvalidVolume.Malformed",
    find: (r, id) => r.volumes.get(id),
    notFound: (id) => volumeNotFound([id]),
    all: (r) => [...r.volumes.values()].map((x) => ({ id: x.volumeId, tags: x.tags })),
  },
  {
    prefix: "snap",
    resourceType: "snapshot",
    malformed: "InvalidSnapshot.Malformed",
    find: (r, id, account) => {
      const s = r.snapshots.get(id);
      return s && snapshotVisibleTo(s, account) ? s : undefined;
    },
    notFound: (id) => snapshotNotFound([id]),
    all: (r) => [...r.snapshots.values()].map((x) => ({ id: x.snapshotId, tags: x.tags })),
  },
  {
    prefix: "ami",
    resourceType: "image",
    malformed: "InvalidAMIID.Malformed",
    find: (r, id) => r.images.get(id),
    notFound: (id) => imageNotFound([id]),
    all: (r) => [...r.images.values()].map((x) => ({ id: x.imageId, tags: x.tags })),
  },
  {
    prefix: "vpc",
    resourceType: "vpc",
    malformed: "InvalidVpcID.Malformed",
    find: (r, id) => r.vpcs.get(id),
    notFound: vpcNotFound,
    all: (r) => [...r.vpcs.values()].map((x) => ({ id: x.vpcId, tags: x.tags })),
  },
  {
    prefix: "subnet",
    resourceType: "subnet",
    malformed: "InvalidSubnetID.Malformed",
    find: (r, id) => r.subnets.get(id),
    notFound: subnetNotFound,
    all: (r) => [...r.subnets.values()].map((x) => ({ id: x.subnetId, tags: x.tags })),
  },
  {
    prefix: "sg",
    resourceType: "security-group",
    malformed: "InvalidGroupId.Malformed",
    find: (r, id) => r.securityGroups.get(id),
    notFound: (id) => groupNotFound(id),
    all: (r) => [...r.securityGroups.values()].map((x) => ({ id: x.groupId, tags: x.tags })),
  },
  {
    prefix: "key",
    resourceType: "key-pair",
    malformed: "InvalidKeyPair.Malformed",
    find: (r, id) => [...r.keyPairs.values()].find((k) => k.keyPairId === id),
    notFound: (id) => new SimError("InvalidKeyPair.NotFound", `The key pair ID '${id}' does not exist`),
    all: (r) => [...r.keyPairs.values()].map((x) => ({ id: x.keyPairId, tags: x.tags })),
  },
  {
    prefix: "lt",
    resourceType: "launch-template",
    malformed: "InvalidLaunchTemplateId.Malformed",
    find: (r, id) => r.launchTemplates.get(id),
    notFound: (id) =>
      new SimError(
        "InvalidLaunchTemplateId.NotFound",
        `The specified launch template, with template ID ${id}, does not exist.`,
      ),
    all: (r) => [...r.launchTemplates.values()].map((x) => ({ id: x.launchTemplateId, tags: x.tags })),
  },
];

/** The resource a tag operation names; EC2's not-found error of its kind when it does not exist. */
export function findTaggable(region: RegionState, resourceId: string, accountId: string): Taggable {
  const kind = KINDS.find((k) => resourceId.startsWith(`${k.prefix}-`));
  if (!kind) throw new SimError("InvalidID", `The ID '${resourceId}' is not valid`);
  checkIds([resourceId], kind.prefix, kind.malformed);
  const found = kind.find(region, resourceId, accountId);
  if (!found) throw kind.notFound(resourceId);
  return { resourceId, resourceType: kind.resourceType, tags: found.tags };
}

/** Every tagged resource of the region, for DescribeTags. */
export function allTaggables(region: RegionState): Taggable[] {
  return KINDS.flatMap((k) =>
    k.all(region).map((x) => ({ resourceId: x.id, resourceType: k.resourceType, tags: x.tags })),
  );
}
