// Meeting the desired capacity: replace unhealthy members, scale in by the termination policy,
// have EC2 terminate what is leaving, and launch what is missing.
import type { Sim } from "../../../runtime.js";
import type { RegionState } from "../../../state/store.js";
import type { AutoScalingGroup } from "../../../state/types.js";
import { ec2HealthCause, elbHealthCause, launchCause, scaleInCause, zoneDroppedCause } from "../causes.js";
import { beginTermination } from "../lifecycle.js";
import { activeMembers } from "../lookup.js";
import { isSuspended } from "../processes.js";
import { instanceEnded, instanceGone } from "./lifecycle-pass.js";
import { launchMember, recordLaunchFailure } from "./launch.js";
import { chooseLaunchZone, chooseSubnet, chooseVictims, type Candidate } from "./placement.js";

export function replaceUnhealthy(sim: Sim, region: RegionState, group: AutoScalingGroup, now: Date): void {
  if (isSuspended(group, "ReplaceUnhealthy") || isSuspended(group, "Terminate")) return;
  for (const m of activeMembers(group)) {
    if (m.healthStatus !== "Unhealthy") continue;
    const instance = region.instances.get(m.instanceId);
    const gone = instanceGone(instance);
    const cause =
      gone || group.healthCheckType === "EC2" ? ec2HealthCause(now, m.instanceId, gone) : elbHealthCause(now);
    // A stopped instance is still terminated by the group; one already ending runs no hooks.
    beginTermination(sim, region, group, m, { cause, runHooks: !instanceEnded(instance) });
  }
}

/**
 * AZRebalance for zones the group no longer uses: one member outside the group's zones at a time
 * goes once no launch is under way; the capacity difference then launches its replacement.
 */
export function leaveDroppedZones(sim: Sim, region: RegionState, group: AutoScalingGroup, now: Date): void {
  if (isSuspended(group, "AZRebalance") || isSuspended(group, "Launch") || isSuspended(group, "Terminate"))
    return;
  const active = activeMembers(group);
  if (active.some((m) => m.lifecycleState !== "InService")) return;
  const stray = active.find(
    (m) => !group.availabilityZones.includes(m.availabilityZone) && !m.protectedFromScaleIn,
  );
  if (!stray) return;
  beginTermination(sim, region, group, stray, {
    cause: zoneDroppedCause(now, stray.instanceId, stray.availabilityZone),
    runHooks: true,
  });
}

export function scaleIn(sim: Sim, region: RegionState, group: AutoScalingGroup, now: Date): void {
  if (isSuspended(group, "Terminate")) return;
  const active = activeMembers(group);
  const excess = active.length - group.desiredCapacity;
  if (excess <= 0) return;
  const candidates: Candidate[] = active.map((m) => ({
    instanceId: m.instanceId,
    zone: m.availabilityZone,
    ...configAge(region, group, m),
    launchTime: region.instances.get(m.instanceId)?.launchTime.getTime() ?? 0,
    protected: m.protectedFromScaleIn,
  }));
  for (const id of chooseVictims(candidates, excess)) {
    const m = group.members.find((x) => x.instanceId === id)!;
    const cause = scaleInCause(group.capacityCause, now, active.length, group.desiredCapacity, id);
    beginTermination(sim, region, group, m, { cause, runHooks: true });
  }
}

function configAge(
  region: RegionState,
  group: AutoScalingGroup,
  m: AutoScalingGroup["members"][number],
): { outdated: boolean; configRank: number } {
  if (m.launchConfigurationName !== undefined) {
    const lc = region.launchConfigurations.get(m.launchConfigurationName);
    return {
      outdated: m.launchConfigurationName !== group.launchConfigurationName,
      configRank: lc?.createdTime.getTime() ?? 0,
    };
  }
  const current =
    group.launchTemplate ?? group.mixedInstancesPolicy?.launchTemplate.launchTemplateSpecification;
  const lt = m.launchTemplate;
  if (!lt) return { outdated: true, configRank: 0 };
  return { outdated: lt.launchTemplateId !== current?.launchTemplateId, configRank: Number(lt.version) || 0 };
}

/** Asks EC2 to terminate members that are ready to go. */
export async function requestTerminations(
  sim: Sim,
  region: RegionState,
  group: AutoScalingGroup,
): Promise<void> {
  const leaving = group.members.filter(
    (m) => m.lifecycleState === "Terminating:Proceed" && !m.terminateRequested,
  );
  const ids: string[] = [];
  for (const m of leaving) {
    m.terminateRequested = true;
    if (!instanceEnded(region.instances.get(m.instanceId))) ids.push(m.instanceId);
  }
  const ec2 = sim.internal.ec2;
  if (ids.length === 0 || !ec2) return;
  try {
    await ec2.terminateInstances(region, ids);
  } catch (err) {
    for (const m of leaving) m.terminateRequested = false;
    throw err;
  }
}

/** Launches what is missing, balanced across zones; false when a launch failed. */
export async function scaleOut(sim: Sim, region: RegionState, group: AutoScalingGroup): Promise<boolean> {
  if (isSuspended(group, "Launch")) return true;
  const start = activeMembers(group).length;
  const missing = group.desiredCapacity - start;
  const subnets = subnetsOf(region, group);
  for (let i = 0; i < missing; i++) {
    if (group.status === "Delete in progress") return true;
    const active = activeMembers(group);
    if (active.length >= group.desiredCapacity) return true;
    const zone = chooseLaunchZone(
      group.availabilityZones.filter((z) => subnets.some((s) => s.zone === z)),
      active.map((m) => m.availabilityZone),
    );
    const memberSubnets = active.map((m) => region.instances.get(m.instanceId)?.subnetId ?? "");
    const subnetId = zone && chooseSubnet(subnets, zone, memberSubnets);
    const cause = launchCause(group.capacityCause, sim.clock.now(), start, group.desiredCapacity);
    if (!zone || !subnetId) {
      recordLaunchFailure(sim, group, "No subnet is available in the group's Availability Zones.", cause);
      return false;
    }
    if (!(await launchMember(sim, region, group, { zone, subnetId }, cause))) return false;
  }
  return true;
}

/** The group's subnets, or the default subnet of each of its zones when it names only zones. */
function subnetsOf(region: RegionState, group: AutoScalingGroup): { subnetId: string; zone: string }[] {
  if (group.vpcZoneIdentifier.length)
    return group.vpcZoneIdentifier.flatMap((id) => {
      const s = region.subnets.get(id);
      return s ? [{ subnetId: id, zone: s.availabilityZone }] : [];
    });
  return [...region.subnets.values()]
    .filter((s) => s.defaultForAz && group.availabilityZones.includes(s.availabilityZone))
    .map((s) => ({ subnetId: s.subnetId, zone: s.availabilityZone }));
}
