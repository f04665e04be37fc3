// Launch data (RunInstances parameters, possibly merged over a launch template version) to a
// LaunchRequest: picks the subnet (explicit, the primary network interface's, or the default
// subnet of the requested or first AZ) and resolves security group names in its VPC.
import { SimError } from "../../../api/errors.js";
import type { LaunchRequest } from "../../../runtime.js";
import type { RegionState } from "../../../state/store.js";
import type { LaunchTemplateData, Tags } from "../../../state/types.js";
import { defaultSubnet, getSubnet, resolveSecurityGroups } from "../lookup.js";

export function launchRequestFromData(
  region: RegionState,
  data: LaunchTemplateData,
  extra: { subnetId?: string; launchTemplate?: LaunchRequest["launchTemplate"] } = {},
): LaunchRequest {
  if (!data.imageId) throw new SimError("MissingParameter", "The request must contain the parameter ImageId");
  const primary = data.networkInterfaces?.find((n) => n.deviceIndex === 0);
  const subnetId = extra.subnetId ?? primary?.subnetId;
  const subnet = subnetId
    ? getSubnet(region, subnetId)
    : defaultSubnet(region, data.placement?.availabilityZone);
  if (data.placement?.availabilityZone && data.placement.availabilityZone !== subnet.availabilityZone)
    throw new SimError(
      "InvalidParameterValue",
      `Value (${data.placement.availabilityZone}) for parameter availabilityZone is invalid. Subnet '${subnet.subnetId}' is in the availability zone ${subnet.availabilityZone}`,
    );
  const groupIds = [...(data.securityGroupIds ?? []), ...(primary?.groups ?? [])];
  const groups = resolveSecurityGroups(region, subnet.vpcId, groupIds, data.securityGroups ?? []);
  const tagsOf = (type: string): Tags =>
    Object.assign(
      {},
      ...(data.tagSpecifications ?? []).filter((s) => s.resourceType === type).map((s) => s.tags),
    ) as Tags;
  return {
    imageId: data.imageId,
    instanceType: data.instanceType ?? "m1.small",
    keyName: data.keyName,
    subnetId: subnet.subnetId,
    securityGroupIds: [...new Set(groups.map((g) => g.groupId))],
    userData: data.userData,
    iamInstanceProfile: data.iamInstanceProfile,
    ebsOptimized: data.ebsOptimized,
    associatePublicIpAddress: primary?.associatePublicIpAddress,
    tags: tagsOf("instance"),
    volumeTags: tagsOf("volume"),
    launchTemplate: extra.launchTemplate,
    blockDeviceMappings: data.blockDeviceMappings,
    metadataOptions: data.metadataOptions,
  };
}
