// Response shapes of Auto Scaling resources: element names as the service's XML uses them.
import type { XmlValue } from "../../api/xml.js";
import type { RegionState } from "../../state/store.js";
import type {
  AsgMember,
  AutoScalingGroup,
  LaunchConfiguration,
  LifecycleHook,
  ScalingActivity,
} from "../../state/types.js";
import { serviceLinkedRoleArn } from "./arn.js";

export function launchConfigurationShape(lc: LaunchConfiguration): XmlValue {
  return {
    LaunchConfigurationName: lc.launchConfigurationName,
    LaunchConfigurationARN: lc.launchConfigurationARN,
    ImageId: lc.imageId,
    KeyName: lc.keyName,
    SecurityGroups: lc.securityGroups,
    ClassicLinkVPCSecurityGroups: [],
    UserData: lc.userData,
    InstanceType: lc.instanceType,
    KernelId: "",
    RamdiskId: "",
    BlockDeviceMappings: (lc.blockDeviceMappings ?? []).map((m) => ({
      DeviceName: m.deviceName,
      VirtualName: m.virtualName,
      NoDevice: m.noDevice,
      Ebs: m.ebs && {
        SnapshotId: m.ebs.snapshotId,
        VolumeSize: m.ebs.volumeSize,
        VolumeType: m.ebs.volumeType,
        DeleteOnTermination: m.ebs.deleteOnTermination,
        Iops: m.ebs.iops,
        Throughput: m.ebs.throughput,
        Encrypted: m.ebs.encrypted,
      },
    })),
    InstanceMonitoring: { Enabled: lc.instanceMonitoring ?? true },
    SpotPrice: lc.spotPrice,
    IamInstanceProfile: lc.iamInstanceProfile,
    CreatedTime: lc.createdTime,
    EbsOptimized: lc.ebsOptimized,
    AssociatePublicIpAddress: lc.associatePublicIpAddress,
    PlacementTenancy: lc.placementTenancy,
    MetadataOptions: lc.metadataOptions && {
      HttpTokens: lc.metadataOptions.httpTokens,
      HttpPutResponseHopLimit: lc.metadataOptions.httpPutResponseHopLimit,
      HttpEndpoint: lc.metadataOptions.httpEndpoint,
    },
  };
}

function launchTemplateShape(
  lt: { launchTemplateId: string; launchTemplateName: string; version: string } | undefined,
): XmlValue {
  // A version the caller left out is not echoed back (the group uses $Default).
  return (
    lt && {
      LaunchTemplateId: lt.launchTemplateId,
      LaunchTemplateName: lt.launchTemplateName,
      Version: lt.version || undefined,
    }
  );
}

/** A member as DescribeAutoScalingGroups lists it under Instances. */
export function memberShape(region: RegionState, member: AsgMember): { [key: string]: XmlValue } {
  const instance = region.instances.get(member.instanceId);
  return {
    InstanceId: member.instanceId,
    InstanceType: instance?.instanceType,
    AvailabilityZone: member.availabilityZone,
    LifecycleState: member.lifecycleState,
    HealthStatus: member.healthStatus,
    LaunchConfigurationName: member.launchConfigurationName,
    LaunchTemplate: launchTemplateShape(member.launchTemplate),
    ImageId: instance?.imageId,
    ProtectedFromScaleIn: member.protectedFromScaleIn,
  };
}

/** A member as DescribeAutoScalingInstances lists it: the same plus its group's name. */
export function autoScalingInstanceShape(
  region: RegionState,
  group: AutoScalingGroup,
  member: AsgMember,
): XmlValue {
  return { ...memberShape(region, member), AutoScalingGroupName: group.autoScalingGroupName };
}

export function tagShape(group: AutoScalingGroup, tag: AutoScalingGroup["tags"][number]): XmlValue {
  return {
    ResourceId: group.autoScalingGroupName,
    ResourceType: "auto-scaling-group",
    Key: tag.key,
    Value: tag.value,
    PropagateAtLaunch: tag.propagateAtLaunch,
  };
}

export function groupShape(
  region: RegionState,
  group: AutoScalingGroup,
  accountId: string,
  opts: { includeInstances: boolean },
): XmlValue {
  const mip = group.mixedInstancesPolicy;
  return {
    AutoScalingGroupName: group.autoScalingGroupName,
    AutoScalingGroupARN: group.autoScalingGroupARN,
    LaunchConfigurationName: group.launchConfigurationName,
    LaunchTemplate: launchTemplateShape(group.launchTemplate),
    MixedInstancesPolicy: mip && {
      LaunchTemplate: {
        LaunchTemplateSpecification: launchTemplateShape(mip.launchTemplate.launchTemplateSpecification),
        Overrides: mip.launchTemplate.overrides.map((o) => ({
          InstanceType: o.instanceType,
          WeightedCapacity: o.weightedCapacity,
        })),
      },
      InstancesDistribution: mip.instancesDistribution && {
        OnDemandAllocationStrategy: mip.instancesDistribution.onDemandAllocationStrategy,
        OnDemandBaseCapacity: mip.instancesDistribution.onDemandBaseCapacity,
        OnDemandPercentageAboveBaseCapacity: mip.instancesDistribution.onDemandPercentageAboveBaseCapacity,
        SpotAllocationStrategy: mip.instancesDistribution.spotAllocationStrategy,
        SpotInstancePools: mip.instancesDistribution.spotInstancePools,
        SpotMaxPrice: mip.instancesDistribution.spotMaxPrice,
      },
    },
    MinSize: group.minSize,
    MaxSize: group.maxSize,
    DesiredCapacity: group.desiredCapacity,
    DefaultCooldown: group.defaultCooldown,
    AvailabilityZones: group.availabilityZones,
    LoadBalancerNames: group.loadBalancerNames,
    TargetGroupARNs: group.targetGroupARNs,
    HealthCheckType: group.healthCheckType,
    HealthCheckGracePeriod: group.healthCheckGracePeriod,
    Instances: opts.includeInstances ? group.members.map((m) => memberShape(region, m)) : undefined,
    CreatedTime: group.createdTime,
    SuspendedProcesses: group.suspendedProcesses.map((p) => ({
      ProcessName: p,
      SuspensionReason: group.suspensionReasons?.[p] ?? "User suspended",
    })),
    VPCZoneIdentifier: group.vpcZoneIdentifier.length ? group.vpcZoneIdentifier.join(",") : undefined,
    EnabledMetrics: [],
    Status: group.status,
    Tags: group.tags.map((t) => tagShape(group, t)),
    TerminationPolicies: group.terminationPolicies ?? ["Default"],
    NewInstancesProtectedFromScaleIn: group.newInstancesProtectedFromScaleIn,
    ServiceLinkedRoleARN: serviceLinkedRoleArn(accountId),
    CapacityRebalance: false,
    TrafficSources: [
      ...group.loadBalancerNames.map((n) => ({ Identifier: n, Type: "elb" })),
      ...group.targetGroupARNs.map((arn) => ({ Identifier: arn, Type: "elbv2" })),
    ],
  };
}

export function hookShape(hook: LifecycleHook): XmlValue {
  return {
    LifecycleHookName: hook.lifecycleHookName,
    AutoScalingGroupName: hook.autoScalingGroupName,
    LifecycleTransition: hook.lifecycleTransition,
    NotificationTargetARN: hook.notificationTargetARN,
    RoleARN: hook.roleARN,
    NotificationMetadata: hook.notificationMetadata,
    HeartbeatTimeout: hook.heartbeatTimeout,
    GlobalTimeout: hook.globalTimeout,
    DefaultResult: hook.defaultResult,
  };
}

export function activityShape(group: AutoScalingGroup | undefined, a: ScalingActivity): XmlValue {
  return {
    ActivityId: a.activityId,
    AutoScalingGroupName: a.autoScalingGroupName,
    AutoScalingGroupARN: group?.autoScalingGroupARN,
    Description: a.description,
    Cause: a.cause,
    StartTime: a.startTime,
    EndTime: a.endTime,
    StatusCode: a.statusCode,
    StatusMessage: a.statusMessage,
    Progress: a.progress,
    Details: a.details,
  };
}
