// DescribeImages: by id, by owner (account id, "self", "amazon"), by filter with wildcards.
import type { XmlValue } from "../../../api/xml.js";
import type { Image } from "../../../state/types.js";
import { applyFilters, readFilters, type FilterTable } from "../../common/filters.js";
import { ec2TagSet } from "../../common/tags.js";
import type { Ec2Op } from "../context.js";
import { checkIds, imageNotFound } from "../errors.js";
import { ec2Page, checkIdsWithoutPaging } from "../paging.js";

export function imageXml(i: Image): XmlValue {
  return {
    imageId: i.imageId,
    imageLocation: `${i.imageOwnerAlias ?? i.ownerId}/${i.name}`,
    imageState: i.state,
    imageOwnerId: i.ownerId,
    creationDate: i.creationDate,
    isPublic: i.public ?? false,
    architecture: i.architecture,
    imageType: "machine",
    name: i.name,
    description: i.description,
    imageOwnerAlias: i.imageOwnerAlias,
    rootDeviceType: "ebs",
    rootDeviceName: i.rootDeviceName,
    blockDeviceMapping: [
      {
        deviceName: i.rootDeviceName,
        ebs: {
          snapshotId: i.rootSnapshotId,
          volumeSize: i.rootVolumeSize ?? 8,
          deleteOnTermination: true,
          volumeType: "gp3",
          encrypted: false,
        },
      },
    ],
    virtualizationType: "hvm",
    hypervisor: "xen",
    enaSupport: true,
    platformDetails: "Linux/UNIX",
    usageOperation: "RunInstances",
    bootMode: "uefi-preferred",
    tagSet: ec2TagSet(i.tags),
  };
}

const IMAGE_FILTERS: FilterTable<Image> = {
  tags: (i) => i.tags,
  fields: {
    "image-id": (i) => i.imageId,
    name: (i) => i.name,
    description: (i) => i.description,
    "owner-id": (i) => i.ownerId,
    "owner-alias": (i) => i.imageOwnerAlias,
    state: (i) => i.state,
    architecture: (i) => i.architecture,
    "is-public": (i) => String(i.public ?? false),
    "root-device-type": () => "ebs",
    "root-device-name": (i) => i.rootDeviceName,
    "virtualization-type": () => "hvm",
    "image-type": () => "machine",
    "block-device-mapping.snapshot-id": (i) => i.rootSnapshotId,
  },
};

export const describeImages: Ec2Op = ({ region, params }, ec2) => {
  const ids = params.strings("ImageId");
  const owners = params.strings("Owner");
  checkIds(ids, "ami", "InvalidAMIID.Malformed");
  checkIdsWithoutPaging(params, ids, "ImageIds");
  const missing = ids.filter((id) => !region.images.has(id));
  if (missing.length) throw imageNotFound(missing);
  const mine = (i: Image): boolean => i.ownerId === ec2.accountId;
  const ownedBy = (i: Image): boolean =>
    owners.some((o) => (o === "self" ? mine(i) : o === i.ownerId || o === i.imageOwnerAlias));
  const images = [...region.images.values()].filter(
    (i) =>
      (ids.length === 0 || ids.includes(i.imageId)) &&
      (owners.length === 0 ? mine(i) || i.public : ownedBy(i)),
  );
  const filters = readFilters(params);
  const page = ec2Page(params, applyFilters(images, filters, IMAGE_FILTERS), {
    op: "DescribeImages",
    filters,
  });
  return { imagesSet: page.items.map(imageXml), nextToken: page.nextToken };
};
