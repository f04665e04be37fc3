// CreateLaunchConfiguration, DescribeLaunchConfigurations, DeleteLaunchConfiguration.
import { validationError } from "../../api/errors.js";
import type { ParamReader } from "../../api/params.js";
import type { LaunchConfiguration } from "../../state/types.js";
import type { OpHandler } from "../types.js";
import { launchConfigurationArn } from "./arn.js";
import { alreadyExists, launchConfigurationNotFound, requiredParam, resourceInUse } from "./errors.js";
import { pageOf } from "./paging.js";
import { launchConfigurationShape } from "./shapes.js";

export const createLaunchConfiguration: OpHandler = ({ sim, region, params }) => {
  const name = requiredParam(params.str("LaunchConfigurationName"), "LaunchConfigurationName");
  if (region.launchConfigurations.has(name))
    throw alreadyExists(
      `Launch Configuration by this name already exists - A launch configuration already exists with the name ${name}`,
    );
  const imageId = params.str("ImageId");
  const instanceType = params.str("InstanceType");
  if (!imageId || !instanceType)
    throw validationError(
      "Valid requests must contain either the InstanceID parameter or both the ImageId and InstanceType parameters.",
    );
  if (!region.images.has(imageId))
    throw validationError(`AMI ${imageId} is invalid: The image id '[${imageId}]' does not exist`);
  const monitoring = params.obj("InstanceMonitoring")?.bool("Enabled");
  const lc: LaunchConfiguration = {
    launchConfigurationName: name,
    launchConfigurationARN: launchConfigurationArn(region.name, sim.options.accountId, name),
    imageId,
    instanceType,
    keyName: params.str("KeyName"),
    securityGroups: params.strings("SecurityGroups"),
    userData: params.str("UserData"),
    iamInstanceProfile: params.str("IamInstanceProfile"),
    ebsOptimized: params.bool("EbsOptimized") ?? false,
    associatePublicIpAddress: params.bool("AssociatePublicIpAddress"),
    createdTime: sim.clock.now(),
    blockDeviceMappings: readBlockDeviceMappings(params),
    instanceMonitoring: monitoring ?? true,
    metadataOptions: readMetadataOptions(params.obj("MetadataOptions")),
    spotPrice: params.str("SpotPrice"),
    placementTenancy: params.str("PlacementTenancy"),
  };
  region.launchConfigurations.set(name, lc);
  return undefined;
};

export const describeLaunchConfigurations: OpHandler = ({ region, params }) => {
  const names = params.strings("LaunchConfigurationNames");
  const all = [...region.launchConfigurations.values()].filter(
    (lc) => names.length === 0 || names.includes(lc.launchConfigurationName),
  );
  const page = pageOf(all, params, {
    scope: `DescribeLaunchConfigurations:${names.join(",")}`,
    defaultSize: 50,
    maxSize: 100,
  });
  return { LaunchConfigurations: page.items.map(launchConfigurationShape), NextToken: page.nextToken };
};

export const deleteLaunchConfiguration: OpHandler = ({ region, params }) => {
  const name = requiredParam(params.str("LaunchConfigurationName"), "LaunchConfigurationName");
  if (!region.launchConfigurations.has(name)) throw launchConfigurationNotFound(name);
  const user = [...region.autoScalingGroups.values()].find((g) => g.launchConfigurationName === name);
  if (user)
    throw resourceInUse(
      `Cannot delete launch configuration ${name} because it is attached to AutoScalingGroup ${user.autoScalingGroupName}`,
    );
  region.launchConfigurations.delete(name);
  return undefined;
};

function readBlockDeviceMappings(params: ParamReader): LaunchConfiguration["blockDeviceMappings"] {
  const list = params.objects("BlockDeviceMappings");
  if (list.length === 0) return undefined;
  return list.map((m) => {
    const ebs = m.obj("Ebs");
    return {
      deviceName: requiredParam(m.str("DeviceName"), "DeviceName"),
      virtualName: m.str("VirtualName"),
      noDevice: m.bool("NoDevice"),
      ebs: ebs && {
        snapshotId: ebs.str("SnapshotId"),
        volumeSize: ebs.int("VolumeSize"),
        volumeType: ebs.str("VolumeType"),
        deleteOnTermination: ebs.bool("DeleteOnTermination"),
        iops: ebs.int("Iops"),
        throughput: ebs.int("Throughput"),
        encrypted: ebs.bool("Encrypted"),
      },
    };
  });
}

function readMetadataOptions(p: ParamReader | undefined): LaunchConfiguration["metadataOptions"] {
  if (!p) return undefined;
  const tokens = p.str("HttpTokens");
  const endpoint = p.str("HttpEndpoint");
  if (tokens !== undefined && tokens !== "optional" && tokens !== "required")
    throw validationError(`Invalid value '${tokens}' for HttpTokens`);
  if (endpoint !== undefined && endpoint !== "enabled" && endpoint !== "disabled")
    throw validationError(`Invalid value '${endpoint}' for HttpEndpoint`);
  return {
    httpTokens: tokens,
    httpEndpoint: endpoint,
    httpPutResponseHopLimit: p.int("HttpPutResponseHopLimit"),
  };
}
