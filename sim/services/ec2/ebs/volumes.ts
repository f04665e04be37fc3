// CreateVolume (`creating` -> `available`), DescribeVolumes, DeleteVolume, DescribeVolumeStatus.
import { SimError } from "../../../api/errors.js";
import type { Volume } from "../../../state/types.js";
import { applyFilters, readFilters, type FilterTable } from "../../common/filters.js";
import {
  checkEc2Tags,
  checkTagSpecificationTypes,
  readTagSpecifications,
  tagsFor,
} from "../../common/tags.js";
import type { Ec2Op } from "../context.js";
import { checkIds, volumeNotFound } from "../errors.js";
import { getVolume } from "../lookup.js";
import { checkIdsWithoutPaging, ec2Page } from "../paging.js";
import { volumeXml } from "./shape.js";
import { createVolumeRecord, destroyVolume } from "./volume-store.js";

export const createVolume: Ec2Op = async ({ sim, region, params }, ec2) => {
  const availabilityZone = params.req("AvailabilityZone");
  if (!region.availabilityZones.includes(availabilityZone))
    throw new SimError("InvalidParameterValue", `Invalid availability zone: [${availabilityZone}]`);
  const specs = readTagSpecifications(params);
  checkTagSpecificationTypes(specs, ["volume"]);
  const tags = tagsFor(specs, "volume");
  checkEc2Tags(tags);
  const volume = await createVolumeRecord(ec2, region, {
    availabilityZone,
    size: params.int("Size"),
    snapshotId: params.str("SnapshotId"),
    volumeType: params.str("VolumeType"),
    iops: params.int("Iops"),
    throughput: params.int("Throughput"),
    encrypted: params.bool("Encrypted"),
    kmsKeyId: params.str("KmsKeyId"),
    tags,
    state: "creating",
    withImage: ec2.defaultHostKind === "full",
  });
  sim.faults.created("ec2:CreateVolume", volume.volumeId);
  ec2.schedule(volume.volumeId, sim.options.delays.volumeCreateMs, () => {
    if (volume.state === "creating") volume.state = "available";
  });
  return volumeXml(volume);
};

const VOLUME_FILTERS: FilterTable<Volume> = {
  tags: (v) => v.tags,
  fields: {
    "volume-id": (v) => v.volumeId,
    status: (v) => v.state,
    "availability-zone": (v) => v.availabilityZone,
    "snapshot-id": (v) => v.snapshotId,
    size: (v) => v.size,
    "volume-type": (v) => v.volumeType,
    encrypted: (v) => String(v.encrypted),
    "create-time": (v) => v.createTime.toISOString(),
    "multi-attach-enabled": () => "false",
    "attachment.instance-id": (v) => v.attachments.map((a) => a.instanceId),
    "attachment.device": (v) => v.attachments.map((a) => a.device),
    "attachment.status": (v) => v.attachments.map((a) => a.state),
    "attachment.attach-time": (v) => v.attachments.map((a) => a.attachTime.toISOString()),
    "attachment.delete-on-termination": (v) => v.attachments.map((a) => String(a.deleteOnTermination)),
  },
};

export const describeVolumes: Ec2Op = ({ sim, region, params }) => {
  const ids = params.strings("VolumeId");
  checkIds(ids, "vol", "InvalidVolume.Malformed");
  checkIdsWithoutPaging(params, ids, "volumeSet");
  let volumes: Volume[];
  if (ids.length) {
    const missing = ids.filter((id) => !region.volumes.has(id) || !sim.faults.visible(id));
    if (missing.length) throw volumeNotFound(missing);
    volumes = [...new Set(ids)].map((id) => region.volumes.get(id)!);
  } else {
    volumes = [...region.volumes.values()].filter((v) => sim.faults.visible(v.volumeId));
  }
  const filters = readFilters(params);
  const page = ec2Page(params, applyFilters(volumes, filters, VOLUME_FILTERS), {
    op: "DescribeVolumes",
    filters,
    min: 5,
    max: 500,
  });
  return { volumeSet: page.items.map(volumeXml), nextToken: page.nextToken };
};

export const deleteVolume: Ec2Op = ({ region, params }, ec2) => {
  const volume = getVolume(region, params.req("VolumeId"));
  const attachment = volume.attachments[0];
  if (attachment)
    throw new SimError(
      "VolumeInUse",
      `Volume ${volume.volumeId} is currently attached to ${attachment.instanceId}`,
    );
  if (volume.state === "deleting" || volume.state === "deleted") throw volumeNotFound([volume.volumeId]);
  ec2.cancel(volume.volumeId);
  destroyVolume(ec2, region, volume);
  return { return: true };
};

export const describeVolumeStatus: Ec2Op = ({ region, params }) => {
  const ids = params.strings("VolumeId");
  checkIds(ids, "vol", "InvalidVolume.Malformed");
  const missing = ids.filter((id) => !region.volumes.has(id));
  if (missing.length) throw volumeNotFound(missing);
  const volumes = ids.length ? ids.map((id) => region.volumes.get(id)!) : [...region.volumes.values()];
  const page = ec2Page(params, volumes, { op: "DescribeVolumeStatus", min: 5, max: 1000 });
  return {
    volumeStatusSet: page.items.map((v) => ({
      volumeId: v.volumeId,
      availabilityZone: v.availabilityZone,
      volumeStatus: {
        status: v.state === "creating" ? "insufficient-data" : "ok",
        details: [
          { name: "io-enabled", status: "passed" },
          { name: "io-performance", status: "not-applicable" },
        ],
      },
      actionsSet: [],
      eventsSet: [],
    })),
    nextToken: page.nextToken,
  };
};
