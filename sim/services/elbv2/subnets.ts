// Subnets and security groups a load balancer is placed in, looked up in the region's EC2 state.
import { SimError } from "../../api/errors.js";
import type { RegionState } from "../../state/store.js";
import type { Subnet } from "../../state/types.js";

export function resolveSubnets(region: RegionState, subnetIds: string[]): Subnet[] {
  return subnetIds.map((id) => {
    const subnet = region.subnets.get(id);
    if (!subnet) throw new SimError("SubnetNotFound", "The specified subnet does not exist.");
    return subnet;
  });
}

/** One subnet per zone and all in one VPC, as both ELB APIs require. */
export function checkPlacement(subnets: Subnet[]): string | undefined {
  const zones = new Set<string>();
  for (const s of subnets) {
    if (zones.has(s.availabilityZone))
      throw new SimError(
        "InvalidConfigurationRequest",
        "A load balancer cannot be attached to multiple subnets in the same Availability Zone",
      );
    zones.add(s.availabilityZone);
  }
  const vpcs = new Set(subnets.map((s) => s.vpcId));
  if (vpcs.size > 1)
    throw new SimError("InvalidConfigurationRequest", "The subnets must all belong to the same VPC");
  return subnets[0]?.vpcId;
}

/** The given security groups (checked to exist), or the VPC's default group when none are given. */
export function resolveSecurityGroups(
  region: RegionState,
  ids: string[],
  vpcId: string | undefined,
): string[] {
  for (const id of ids)
    if (!region.securityGroups.has(id))
      throw new SimError("InvalidSecurityGroup", `One or more security groups are invalid: ${id}`);
  if (ids.length > 0) return ids;
  const fallback = [...region.securityGroups.values()].find(
    (g) => g.vpcId === vpcId && g.groupName === "default",
  );
  return fallback ? [fallback.groupId] : [];
}
