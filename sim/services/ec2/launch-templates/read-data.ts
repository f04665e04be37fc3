// Reads launch parameters into LaunchTemplateData. RunInstances and `LaunchTemplateData` in
// CreateLaunchTemplate[Version] spell them the same way (ImageId, SecurityGroupId.N,
// BlockDeviceMapping.N.Ebs.VolumeSize, TagSpecification.N.Tag.M.Key, MetadataOptions.HttpTokens...).
import { SimError } from "../../../api/errors.js";
import type { ParamReader } from "../../../api/params.js";
import type { LaunchTemplateData } from "../../../state/types.js";
import { readTagSpecifications } from "../../common/tags.js";

export function readLaunchData(p: ParamReader): LaunchTemplateData {
  const data: LaunchTemplateData = {
    imageId: p.str("ImageId"),
    instanceType: p.str("InstanceType"),
    keyName: p.str("KeyName"),
    securityGroupIds: nonEmpty(p.strings("SecurityGroupId")),
    securityGroups: nonEmpty(p.strings("SecurityGroup")),
    userData: p.str("UserData"),
    ebsOptimized: p.bool("EbsOptimized"),
    disableApiTermination: p.bool("DisableApiTermination"),
    instanceInitiatedShutdownBehavior: oneOf(p, "InstanceInitiatedShutdownBehavior", ["stop", "terminate"]),
  };
  const profile = p.obj("IamInstanceProfile");
  if (profile) data.iamInstanceProfile = { arn: profile.str("Arn"), name: profile.str("Name") };
  const mappings = p.objects("BlockDeviceMapping");
  if (mappings.length) data.blockDeviceMappings = mappings.map(readMapping);
  const interfaces = p.objects("NetworkInterface");
  if (interfaces.length)
    data.networkInterfaces = interfaces.map((n) => ({
      deviceIndex: n.int("DeviceIndex") ?? 0,
      associatePublicIpAddress: n.bool("AssociatePublicIpAddress"),
      groups: nonEmpty(n.strings("SecurityGroupId")),
      subnetId: n.str("SubnetId"),
    }));
  const specs = readTagSpecifications(p);
  if (specs.length) data.tagSpecifications = specs;
  const meta = p.obj("MetadataOptions");
  if (meta)
    data.metadataOptions = {
      httpTokens: oneOf(meta, "HttpTokens", ["optional", "required"]),
      httpEndpoint: oneOf(meta, "HttpEndpoint", ["enabled", "disabled"]),
      httpPutResponseHopLimit: meta.int("HttpPutResponseHopLimit"),
      instanceMetadataTags: oneOf(meta, "InstanceMetadataTags", ["enabled", "disabled"]),
    };
  const az = p.obj("Placement")?.str("AvailabilityZone");
  if (az) data.placement = { availabilityZone: az };
  const monitoring = p.obj("Monitoring")?.bool("Enabled");
  if (monitoring !== undefined) data.monitoring = { enabled: monitoring };
  return prune(data);
}

function readMapping(m: ParamReader): NonNullable<LaunchTemplateData["blockDeviceMappings"]>[number] {
  const deviceName = m.req("DeviceName");
  if (m.str("NoDevice") !== undefined) return { deviceName, noDevice: true };
  const ebs = m.obj("Ebs");
  if (!ebs) return { deviceName };
  return {
    deviceName,
    ebs: prune({
      volumeSize: ebs.int("VolumeSize"),
      volumeType: ebs.str("VolumeType"),
      deleteOnTermination: ebs.bool("DeleteOnTermination"),
      snapshotId: ebs.str("SnapshotId"),
      iops: ebs.int("Iops"),
      throughput: ebs.int("Throughput"),
      encrypted: ebs.bool("Encrypted"),
      kmsKeyId: ebs.str("KmsKeyId"),
    }),
  };
}

function oneOf<T extends string>(p: ParamReader, name: string, allowed: readonly T[]): T | undefined {
  const v = p.str(name);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v))
    throw new SimError(
      "InvalidParameterValue",
      `Value (${v}) for parameter ${name} is invalid. Allowed values: ${allowed.join(", ")}`,
    );
  return v as T;
}

function nonEmpty(list: string[]): string[] | undefined {
  return list.length ? list : undefined;
}

/** Drops undefined fields so stored data and its JSON dump only hold what was given. */
export function prune<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Explicit launch parameters over a template's: field by field, tags merged per resource type. */
export function mergeLaunchData(base: LaunchTemplateData, over: LaunchTemplateData): LaunchTemplateData {
  const merged: LaunchTemplateData = { ...base, ...over };
  if (base.tagSpecifications && over.tagSpecifications) {
    const byType = new Map<string, Record<string, string>>();
    for (const s of [...base.tagSpecifications, ...over.tagSpecifications])
      byType.set(s.resourceType, { ...byType.get(s.resourceType), ...s.tags });
    merged.tagSpecifications = [...byType].map(([resourceType, tags]) => ({ resourceType, tags }));
  }
  if (base.metadataOptions && over.metadataOptions)
    merged.metadataOptions = { ...base.metadataOptions, ...prune(over.metadataOptions) };
  return merged;
}
