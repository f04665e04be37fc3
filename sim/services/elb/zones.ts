// EnableAvailabilityZonesForLoadBalancer / DisableAvailabilityZonesForLoadBalancer: which zones a
// classic load balancer routes to, and so which registered instances are checked at all.
import type { OpHandler } from "../types.js";
import { findLoadBalancer, validation } from "./errors.js";
import { place } from "./load-balancers.js";

export const enableAvailabilityZones: OpHandler = ({ region, params }) => {
  const lb = findLoadBalancer(region, params.req("LoadBalancerName"));
  const zones = params.strings("AvailabilityZones");
  const added = place(region, [], zones);
  lb.availabilityZones = [...new Set([...lb.availabilityZones, ...added.zones])];
  lb.subnets = [...new Set([...lb.subnets, ...added.subnets])];
  return { AvailabilityZones: lb.availabilityZones };
};

export const disableAvailabilityZones: OpHandler = ({ region, params }) => {
  const lb = findLoadBalancer(region, params.req("LoadBalancerName"));
  const zones = params.strings("AvailabilityZones");
  const left = lb.availabilityZones.filter((z) => !zones.includes(z));
  if (left.length === 0) throw validation("A load balancer must remain in at least one Availability Zone");
  lb.availabilityZones = left;
  lb.subnets = lb.subnets.filter((id) => left.includes(region.subnets.get(id)?.availabilityZone ?? ""));
  return { AvailabilityZones: lb.availabilityZones };
};
