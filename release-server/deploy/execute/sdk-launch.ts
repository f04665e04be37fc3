// Launch settings between the planner's LaunchData and the SDK's shapes: launch template data
// (described and requested) and launch configurations.
import type {
  CreateLaunchConfigurationCommandInput,
  LaunchConfiguration,
} from "@aws-sdk/client-auto-scaling";
import type { RequestLaunchTemplateData, ResponseLaunchTemplateData } from "@aws-sdk/client-ec2";
import type { BlockDevice, LaunchData } from "../launch-data.js";

const decode = (b64: string | undefined) => (b64 ? Buffer.from(b64, "base64").toString("utf8") : undefined);
const encode = (text: string | undefined) =>
  text === undefined ? undefined : Buffer.from(text, "utf8").toString("base64");

function prune<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

interface SdkDevice {
  DeviceName?: string;
  NoDevice?: string | boolean;
  Ebs?: {
    VolumeSize?: number;
    VolumeType?: string;
    DeleteOnTermination?: boolean;
    Encrypted?: boolean;
    SnapshotId?: string;
    Iops?: number;
    Throughput?: number;
  };
}

function fromSdkDevices(list: SdkDevice[] | undefined): BlockDevice[] | undefined {
  if (!list?.length) return undefined;
  return list.map((d) =>
    prune({
      deviceName: d.DeviceName ?? "",
      noDevice: d.NoDevice === undefined || d.NoDevice === false ? undefined : true,
      volumeSize: d.Ebs?.VolumeSize,
      volumeType: d.Ebs?.VolumeType,
      deleteOnTermination: d.Ebs?.DeleteOnTermination,
      encrypted: d.Ebs?.Encrypted,
      snapshotId: d.Ebs?.SnapshotId,
      iops: d.Ebs?.Iops,
      throughput: d.Ebs?.Throughput,
    }),
  );
}

function ebsOf(d: BlockDevice) {
  return prune({
    VolumeSize: d.volumeSize,
    VolumeType: d.volumeType,
    DeleteOnTermination: d.deleteOnTermination,
    Encrypted: d.encrypted,
    SnapshotId: d.snapshotId,
    Iops: d.iops,
    Throughput: d.throughput,
  });
}

export function fromTemplateData(d: ResponseLaunchTemplateData): LaunchData {
  const nic = d.NetworkInterfaces?.find((n) => (n.DeviceIndex ?? 0) === 0);
  return prune({
    imageId: d.ImageId,
    instanceType: d.InstanceType,
    keyName: d.KeyName,
    securityGroupIds: d.SecurityGroupIds?.length
      ? d.SecurityGroupIds
      : nic?.Groups?.length
        ? nic.Groups
        : undefined,
    instanceProfile: d.IamInstanceProfile?.Name ?? d.IamInstanceProfile?.Arn,
    userData: decode(d.UserData),
    ebsOptimized: d.EbsOptimized,
    associatePublicIpAddress: nic?.AssociatePublicIpAddress,
    blockDevices: fromSdkDevices(d.BlockDeviceMappings),
    metadataOptions: d.MetadataOptions
      ? prune({
          httpTokens: d.MetadataOptions.HttpTokens,
          httpEndpoint: d.MetadataOptions.HttpEndpoint,
          httpPutResponseHopLimit: d.MetadataOptions.HttpPutResponseHopLimit,
          instanceMetadataTags: d.MetadataOptions.InstanceMetadataTags,
        })
      : undefined,
    monitoring: d.Monitoring?.Enabled,
  });
}

export function toTemplateData(data: LaunchData, tags: Record<string, string>): RequestLaunchTemplateData {
  const profile = data.instanceProfile;
  // A public-IP choice lives on the network interface, and then so must the security groups.
  const nic = data.associatePublicIpAddress !== undefined;
  return prune({
    ImageId: data.imageId,
    InstanceType: data.instanceType as RequestLaunchTemplateData["InstanceType"],
    KeyName: data.keyName,
    SecurityGroupIds: nic ? undefined : data.securityGroupIds,
    NetworkInterfaces: nic
      ? [
          {
            DeviceIndex: 0,
            AssociatePublicIpAddress: data.associatePublicIpAddress,
            Groups: data.securityGroupIds,
          },
        ]
      : undefined,
    IamInstanceProfile:
      profile === undefined ? undefined : profile.startsWith("arn:") ? { Arn: profile } : { Name: profile },
    UserData: encode(data.userData),
    EbsOptimized: data.ebsOptimized,
    BlockDeviceMappings: data.blockDevices?.map((d) =>
      prune({
        DeviceName: d.deviceName,
        NoDevice: d.noDevice ? "" : undefined,
        Ebs: d.noDevice ? undefined : ebsOf(d),
      }),
    ) as RequestLaunchTemplateData["BlockDeviceMappings"],
    MetadataOptions: data.metadataOptions
      ? (prune({
          HttpTokens: data.metadataOptions.httpTokens,
          HttpEndpoint: data.metadataOptions.httpEndpoint,
          HttpPutResponseHopLimit: data.metadataOptions.httpPutResponseHopLimit,
          InstanceMetadataTags: data.metadataOptions.instanceMetadataTags,
        }) as RequestLaunchTemplateData["MetadataOptions"])
      : undefined,
    Monitoring: data.monitoring === undefined ? undefined : { Enabled: data.monitoring },
    // Volumes made at launch carry the same tags as the instance.
    TagSpecifications: Object.keys(tags).length
      ? [{ ResourceType: "volume", Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }]
      : undefined,
  });
}

export function fromLaunchConfiguration(c: LaunchConfiguration): LaunchData {
  return prune({
    imageId: c.ImageId,
    instanceType: c.InstanceType,
    keyName: c.KeyName || undefined,
    securityGroupIds: c.SecurityGroups?.length ? c.SecurityGroups : undefined,
    instanceProfile: c.IamInstanceProfile,
    userData: decode(c.UserData),
    ebsOptimized: c.EbsOptimized,
    associatePublicIpAddress: c.AssociatePublicIpAddress,
    blockDevices: fromSdkDevices(c.BlockDeviceMappings),
    metadataOptions: c.MetadataOptions
      ? prune({
          httpTokens: c.MetadataOptions.HttpTokens,
          httpEndpoint: c.MetadataOptions.HttpEndpoint,
          httpPutResponseHopLimit: c.MetadataOptions.HttpPutResponseHopLimit,
        })
      : undefined,
    monitoring: c.InstanceMonitoring?.Enabled,
  });
}

export function toLaunchConfiguration(name: string, data: LaunchData): CreateLaunchConfigurationCommandInput {
  return prune({
    LaunchConfigurationName: name,
    ImageId: data.imageId,
    InstanceType: data.instanceType,
    KeyName: data.keyName,
    SecurityGroups: data.securityGroupIds,
    IamInstanceProfile: data.instanceProfile,
    UserData: encode(data.userData),
    EbsOptimized: data.ebsOptimized,
    AssociatePublicIpAddress: data.associatePublicIpAddress,
    BlockDeviceMappings: data.blockDevices?.map((d) =>
      prune({
        DeviceName: d.deviceName,
        NoDevice: d.noDevice ? true : undefined,
        Ebs: d.noDevice ? undefined : ebsOf(d),
      }),
    ),
    MetadataOptions: data.metadataOptions
      ? (prune({
          HttpTokens: data.metadataOptions.httpTokens,
          HttpEndpoint: data.metadataOptions.httpEndpoint,
          HttpPutResponseHopLimit: data.metadataOptions.httpPutResponseHopLimit,
        }) as CreateLaunchConfigurationCommandInput["MetadataOptions"])
      : undefined,
    InstanceMonitoring: data.monitoring === undefined ? undefined : { Enabled: data.monitoring },
  });
}
