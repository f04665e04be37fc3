// ASG members as the fan-out sees them: the groups' instance lists joined with the instances' private
// IPs. Pure, so the join rules are tested without AWS.

export interface GroupInstance {
  instanceId: string;
  lifecycleState: string;
  healthStatus?: string;
}

export interface ObservedGroup {
  name: string;
  instances: readonly GroupInstance[];
}

export interface ObservedInstance {
  instanceId: string;
  state: string;
  privateIp?: string;
}

export interface Member {
  instanceId: string;
  asg: string;
  lifecycleState: string;
  privateIp?: string;
}

/**
 * InService and Pending members (Pending, Pending:Wait, Pending:Proceed): a Pending instance may be booting
 * from the previous snapshot, which is the race of docs/spec/release.md#autoscale-race; it is pushed or
 * re-checked.
 */
export function isTargetLifecycle(state: string): boolean {
  return state === "InService" || state.startsWith("Pending");
}

export function joinMembers(
  groups: readonly ObservedGroup[],
  instances: readonly ObservedInstance[],
): Member[] {
  const byId = new Map(instances.map((i) => [i.instanceId, i]));
  const seen = new Set<string>();
  const members: Member[] = [];
  for (const g of groups) {
    for (const gi of g.instances) {
      // A group found both by name and by tag lists its instances twice.
      if (seen.has(gi.instanceId) || !isTargetLifecycle(gi.lifecycleState)) continue;
      seen.add(gi.instanceId);
      const inst = byId.get(gi.instanceId);
      if (inst && inst.state !== "pending" && inst.state !== "running") continue;
      members.push({
        instanceId: gi.instanceId,
        asg: g.name,
        lifecycleState: gi.lifecycleState,
        ...(inst?.privateIp ? { privateIp: inst.privateIp } : {}),
      });
    }
  }
  return members.sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1));
}
