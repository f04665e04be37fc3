// Launch templates, versions and their data as the EC2 API returns them.
import type { XmlValue } from "../../../api/xml.js";
import type { LaunchTemplate, LaunchTemplateData, LaunchTemplateVersion } from "../../../state/types.js";
import { ec2TagSet } from "../../common/tags.js";

export function templateXml(t: LaunchTemplate, accountId: string): XmlValue {
  return {
    launchTemplateId: t.launchTemplateId,
    launchTemplateName: t.launchTemplateName,
    createTime: t.createTime,
    createdBy: `arn:aws:iam::${accountId}:root`,
    defaultVersionNumber: t.defaultVersionNumber,
    latestVersionNumber: t.latestVersionNumber,
    tagSet: ec2TagSet(t.tags),
  };
}

export function versionXml(t: LaunchTemplate, v: LaunchTemplateVersion, accountId: string): XmlValue {
  return {
    launchTemplateId: t.launchTemplateId,
    launchTemplateName: t.launchTemplateName,
    versionNumber: v.versionNumber,
    versionDescription: v.versionDescription,
    createTime: v.createTime,
    createdBy: `arn:aws:iam::${accountId}:root`,
    defaultVersion: v.versionNumber === t.defaultVersionNumber,
    launchTemplateData: dataXml(v.data),
  };
}

export function dataXml(d: LaunchTemplateData): XmlValue {
  return {
    ebsOptimized: d.ebsOptimized,
    iamInstanceProfile: d.iamInstanceProfile
      ? { arn: d.iamInstanceProfile.arn, name: d.iamInstanceProfile.name }
      : undefined,
    blockDeviceMappingSet: d.blockDeviceMappings?.map((m) => ({
      deviceName: m.deviceName,
      ebs: m.ebs
        ? {
            encrypted: m.ebs.encrypted,
            deleteOnTermination: m.ebs.deleteOnTermination,
            iops: m.ebs.iops,
            kmsKeyId: m.ebs.kmsKeyId,
            snapshotId: m.ebs.snapshotId,
            volumeSize: m.ebs.volumeSize,
            volumeType: m.ebs.volumeType,
            throughput: m.ebs.throughput,
          }
        : undefined,
      noDevice: m.noDevice ? "" : undefined,
    })),
    networkInterfaceSet: d.networkInterfaces?.map((n) => ({
      associatePublicIpAddress: n.associatePublicIpAddress,
      deviceIndex: n.deviceIndex,
      groupSet: n.groups,
      subnetId: n.subnetId,
    })),
    imageId: d.imageId,
    instanceType: d.instanceType,
    keyName: d.keyName,
    monitoring: d.monitoring ? { enabled: d.monitoring.enabled } : undefined,
    placement: d.placement ? { availabilityZone: d.placement.availabilityZone } : undefined,
    disableApiTermination: d.disableApiTermination,
    instanceInitiatedShutdownBehavior: d.instanceInitiatedShutdownBehavior,
    userData: d.userData,
    tagSpecificationSet: d.tagSpecifications?.map((s) => ({
      resourceType: s.resourceType,
      tagSet: ec2TagSet(s.tags),
    })),
    securityGroupIdSet: d.securityGroupIds,
    securityGroupSet: d.securityGroups,
    metadataOptions: d.metadataOptions
      ? {
          state: "applied",
          httpTokens: d.metadataOptions.httpTokens,
          httpPutResponseHopLimit: d.metadataOptions.httpPutResponseHopLimit,
          httpEndpoint: d.metadataOptions.httpEndpoint,
          instanceMetadataTags: d.metadataOptions.instanceMetadataTags,
        }
      : undefined,
  };
}
