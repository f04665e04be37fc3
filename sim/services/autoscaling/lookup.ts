// Finding groups and members by name or instance id, with Auto Scaling's not-found errors.
import type { RegionState } from "../../state/store.js";
import type { AsgMember, AutoScalingGroup } from "../../state/types.js";
import { groupNotFound, instanceNotManaged } from "./errors.js";

export function requireGroup(region: RegionState, name: string): AutoScalingGroup {
  const group = region.autoScalingGroups.get(name);
  if (!group) throw groupNotFound(name);
  return group;
}

/** A group being deleted refuses changes, as AWS does while it shows "Delete in progress". */
export function requireLiveGroup(region: RegionState, name: string): AutoScalingGroup {
  const group = requireGroup(region, name);
  if (group.status === "Delete in progress") throw groupNotFound(name);
  return group;
}

export function findMember(
  region: RegionState,
  instanceId: string,
): { group: AutoScalingGroup; member: AsgMember } | undefined {
  for (const group of region.autoScalingGroups.values()) {
    const member = group.members.find((m) => m.instanceId === instanceId);
    if (member) return { group, member };
  }
  return undefined;
}

export function requireMember(
  region: RegionState,
  instanceId: string,
): { group: AutoScalingGroup; member: AsgMember } {
  const found = findMember(region, instanceId);
  if (!found) throw instanceNotManaged(instanceId);
  return found;
}

/** Members that count towards the desired capacity: launching or in service, not leaving or standing by. */
export function countsTowardsCapacity(member: AsgMember): boolean {
  return (
    member.lifecycleState === "Pending" ||
    member.lifecycleState === "Pending:Wait" ||
    member.lifecycleState === "Pending:Proceed" ||
    member.lifecycleState === "InService"
  );
}

export function activeMembers(group: AutoScalingGroup): AsgMember[] {
  return group.members.filter(countsTowardsCapacity);
}
