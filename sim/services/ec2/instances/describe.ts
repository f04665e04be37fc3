// DescribeInstances: by id or all, filtered, paged by instance and grouped into reservations.
import type { RegionState } from "../../../state/store.js";
import type { Instance } from "../../../state/types.js";
import { applyFilters, readFilters, type FilterTable } from "../../common/filters.js";
import type { Ec2Op } from "../context.js";
import { checkIds, instanceNotFound } from "../errors.js";
import { checkIdsWithoutPaging, ec2Page } from "../paging.js";
import { privateDnsName } from "./boot.js";
import { reservationsXml, STATE_CODES } from "./shape.js";

export function instanceFilters(region: RegionState): FilterTable<Instance> {
  const groupNames = (i: Instance): string[] =>
    i.securityGroupIds.map((id) => region.securityGroups.get(id)?.groupName ?? "");
  return {
    tags: (i) => i.tags,
    fields: {
      "instance-id": (i) => i.instanceId,
      "instance-state-name": (i) => i.state,
      "instance-state-code": (i) => STATE_CODES[i.state],
      "instance-type": (i) => i.instanceType,
      "image-id": (i) => i.imageId,
      "key-name": (i) => i.keyName,
      "vpc-id": (i) => i.vpcId,
      "subnet-id": (i) => i.subnetId,
      "availability-zone": (i) => i.availabilityZone,
      "private-ip-address": (i) => (i.state === "terminated" ? undefined : i.privateIpAddress),
      "private-dns-name": (i) => privateDnsName(region.name, i.privateIpAddress),
      "network-interface.addresses.private-ip-address": (i) => i.privateIpAddress,
      "network-interface.mac-address": (i) => i.macAddress,
      "reservation-id": (i) => i.reservationId,
      "launch-time": (i) => i.launchTime.toISOString(),
      "instance.group-id": (i) => i.securityGroupIds,
      "instance.group-name": groupNames,
      "group-id": (i) => i.securityGroupIds,
      "group-name": groupNames,
      "iam-instance-profile.arn": (i) => i.iamInstanceProfile?.arn,
      "block-device-mapping.volume-id": (i) => i.blockDevices.map((d) => d.volumeId),
      "block-device-mapping.device-name": (i) => i.blockDevices.map((d) => d.deviceName),
      "block-device-mapping.delete-on-termination": (i) =>
        i.blockDevices.map((d) => String(d.deleteOnTermination)),
      "root-device-type": () => "ebs",
      architecture: (i) => region.images.get(i.imageId)?.architecture,
      "metadata-options.http-tokens": (i) => i.metadataOptions?.httpTokens,
    },
  };
}

/** Instances a describe may show: the ids asked for (all must exist and be visible) or every visible one. */
export function visibleInstances(
  region: RegionState,
  ids: string[],
  visible: (id: string) => boolean,
): Instance[] {
  checkIds(ids, "i", "InvalidInstanceID.Malformed");
  if (ids.length === 0) return [...region.instances.values()].filter((i) => visible(i.instanceId));
  const missing = ids.filter((id) => !region.instances.has(id) || !visible(id));
  if (missing.length) throw instanceNotFound(missing);
  return [...new Set(ids)].map((id) => region.instances.get(id)!);
}

export const describeInstances: Ec2Op = ({ sim, region, params }, ec2) => {
  const ids = params.strings("InstanceId");
  checkIdsWithoutPaging(params, ids, "instancesSet");
  const filters = readFilters(params);
  const instances = applyFilters(
    visibleInstances(region, ids, (id) => sim.faults.visible(id)),
    filters,
    instanceFilters(region),
  );
  const page = ec2Page(params, instances, { op: "DescribeInstances", filters });
  return { reservationSet: reservationsXml(region, ec2.accountId, page.items), nextToken: page.nextToken };
};
