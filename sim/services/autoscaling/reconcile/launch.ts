// Launching one instance for a group: the launch request from its launch configuration or
// template (group tags that propagate, plus aws:autoscaling:groupName), the EC2 call, the new
// member and its activity.
import type { LaunchRequest, Sim } from "../../../runtime.js";
import type { RegionState } from "../../../state/store.js";
import type { AsgMember, AutoScalingGroup, LaunchConfiguration, Tags } from "../../../state/types.js";
import { startActivity, updateActivity } from "../activities.js";
import { announceTargetState } from "../target-lifecycle-state.js";

/** The tag Auto Scaling puts on every member. */
export const GROUP_NAME_TAG = "aws:autoscaling:groupName";

type MemberConfig = Pick<AsgMember, "launchConfigurationName" | "launchTemplate">;

/** The group's tags with PropagateAtLaunch, and the group name tag. */
export function propagatedTags(group: AutoScalingGroup): Tags {
  const tags: Tags = {};
  for (const t of group.tags) if (t.propagateAtLaunch) tags[t.key] = t.value;
  tags[GROUP_NAME_TAG] = group.autoScalingGroupName;
  return tags;
}

/** The request EC2 gets, and what the member records about its source. Throws with the reason. */
export function planLaunch(
  sim: Sim,
  region: RegionState,
  group: AutoScalingGroup,
  subnetId: string,
): { request: LaunchRequest; config: MemberConfig } {
  if (group.launchConfigurationName) {
    const lc = region.launchConfigurations.get(group.launchConfigurationName);
    if (!lc) throw new Error(`Launch configuration ${group.launchConfigurationName} does not exist.`);
    return {
      request: fromLaunchConfiguration(region, lc, subnetId, propagatedTags(group)),
      config: { launchConfigurationName: lc.launchConfigurationName },
    };
  }
  const spec = group.launchTemplate ?? group.mixedInstancesPolicy?.launchTemplate.launchTemplateSpecification;
  const ec2 = sim.internal.ec2;
  if (!spec || !ec2) throw new Error("The group has no launch template or configuration EC2 can launch.");
  const lt = ec2.resolveLaunchTemplate(region, {
    launchTemplateId: spec.launchTemplateId,
    version: spec.version || "$Default",
  });
  const data = lt.data;
  const override = group.mixedInstancesPolicy?.launchTemplate.overrides.find((o) => o.instanceType);
  const instanceType = override?.instanceType ?? data.instanceType;
  if (!data.imageId) throw new Error("The launch template does not specify an image id.");
  if (!instanceType) throw new Error("The launch template does not specify an instance type.");
  const nic = data.networkInterfaces?.find((n) => n.deviceIndex === 0);
  return {
    request: {
      imageId: data.imageId,
      instanceType,
      keyName: data.keyName,
      subnetId,
      securityGroupIds:
        data.securityGroupIds ?? nic?.groups ?? securityGroupIds(region, data.securityGroups ?? [], subnetId),
      userData: data.userData,
      iamInstanceProfile: data.iamInstanceProfile,
      ebsOptimized: data.ebsOptimized,
      associatePublicIpAddress: nic?.associatePublicIpAddress,
      // EC2 adds what the template contributes: its tags, block devices and metadata options.
      tags: propagatedTags(group),
      launchTemplate: { launchTemplateId: lt.launchTemplateId, version: lt.version },
    },
    config: {
      launchTemplate: {
        launchTemplateId: lt.launchTemplateId,
        launchTemplateName: lt.launchTemplateName,
        version: lt.version,
      },
    },
  };
}

function fromLaunchConfiguration(
  region: RegionState,
  lc: LaunchConfiguration,
  subnetId: string,
  tags: Tags,
): LaunchRequest {
  const profile = lc.iamInstanceProfile;
  return {
    imageId: lc.imageId,
    instanceType: lc.instanceType,
    keyName: lc.keyName,
    subnetId,
    securityGroupIds: securityGroupIds(region, lc.securityGroups, subnetId),
    userData: lc.userData,
    iamInstanceProfile:
      profile === undefined ? undefined : profile.startsWith("arn:") ? { arn: profile } : { name: profile },
    ebsOptimized: lc.ebsOptimized,
    associatePublicIpAddress: lc.associatePublicIpAddress,
    tags,
    blockDeviceMappings: lc.blockDeviceMappings?.map((m) => ({
      deviceName: m.deviceName,
      noDevice: m.noDevice,
      ebs: m.ebs,
    })),
    metadataOptions: lc.metadataOptions,
  };
}

/** Launch configurations may name security groups by name (of the subnet's VPC) or by id. */
function securityGroupIds(region: RegionState, groups: string[], subnetId: string): string[] {
  const vpcId = region.subnets.get(subnetId)?.vpcId;
  return groups.map((g) => {
    if (g.startsWith("sg-")) return g;
    const byName = [...region.securityGroups.values()].find((sg) => sg.groupName === g && sg.vpcId === vpcId);
    return byName?.groupId ?? g;
  });
}

/** Launches one member; false (with a Failed activity) when EC2 refused. */
export async function launchMember(
  sim: Sim,
  region: RegionState,
  group: AutoScalingGroup,
  where: { zone: string; subnetId: string },
  cause: string,
): Promise<boolean> {
  const details = { "Subnet ID": where.subnetId, "Availability Zone": where.zone };
  let member: AsgMember;
  try {
    const ec2 = sim.internal.ec2;
    if (!ec2) throw new Error("EC2 is not available.");
    const { request, config } = planLaunch(sim, region, group, where.subnetId);
    const instance = await ec2.launchInstance(region, request);
    if (region.autoScalingGroups.get(group.autoScalingGroupName) !== group) {
      // The group was deleted while EC2 launched: the instance has no group to join.
      await ec2.terminateInstances(region, [instance.instanceId]);
      return false;
    }
    member = {
      instanceId: instance.instanceId,
      availabilityZone: instance.availabilityZone,
      lifecycleState: "Pending",
      healthStatus: "Healthy",
      protectedFromScaleIn: group.newInstancesProtectedFromScaleIn,
      ...config,
    };
  } catch (err) {
    recordLaunchFailure(sim, group, err instanceof Error ? err.message : String(err), cause, details);
    return false;
  }
  const activity = startActivity(group, sim.clock.now(), {
    description: `Launching a new EC2 instance: ${member.instanceId}`,
    cause,
    details,
  });
  member.activityId = activity.activityId;
  group.members.push(member);
  announceTargetState(sim, region, member.instanceId, "InService");
  return true;
}

export function recordLaunchFailure(
  sim: Sim,
  group: AutoScalingGroup,
  reason: string,
  cause: string,
  details: Record<string, string> = {},
): void {
  const now = sim.clock.now();
  const activity = startActivity(group, now, {
    description: `Launching a new EC2 instance.  Status Reason: ${reason} Launching EC2 instance failed.`,
    cause,
    details,
  });
  updateActivity(group, activity.activityId, now, "Failed", `${reason} Launching EC2 instance failed.`);
}
