// CreateLoadBalancer, DescribeLoadBalancers and DeleteLoadBalancer of the classic ELB API.
import { SimError } from "../../api/errors.js";
import type { ParamReader } from "../../api/params.js";
import type { RegionState } from "../../state/store.js";
import type { ClassicLoadBalancer } from "../../state/types.js";
import { readTagList } from "../common/tags.js";
import { dnsName } from "../elbv2/arns.js";
import { pageOf } from "../elbv2/page.js";
import { checkPlacement, resolveSecurityGroups, resolveSubnets } from "../elbv2/subnets.js";
import type { OpHandler } from "../types.js";
import { loadBalancerNotFound, validation } from "./errors.js";
import { stopInstanceProbing } from "./instance-health.js";
import { loadBalancerDescription } from "./shape.js";
import { checkClassicTags } from "./tags.js";

type Listener = ClassicLoadBalancer["listeners"][number];

export const createLoadBalancer: OpHandler = ({ sim, region, params }) => {
  const name = params.req("LoadBalancerName");
  checkName(name);
  const listeners = readListeners(params);
  const scheme = params.str("Scheme") ?? "internet-facing";
  if (scheme !== "internet-facing" && scheme !== "internal")
    throw new SimError(
      "InvalidScheme",
      `Invalid value for Scheme: ${scheme}. Valid values are internet-facing or internal.`,
    );
  const tags = readTagList(params, "Tags");
  checkClassicTags(tags);
  const placement = place(region, params.strings("Subnets"), params.strings("AvailabilityZones"));
  const existing = region.loadBalancers.get(name);
  if (existing) {
    // The same request again is answered with the same load balancer, as the API documents.
    if (JSON.stringify(existing.listeners) !== JSON.stringify(listeners))
      throw new SimError(
        "DuplicateLoadBalancerName",
        `Load Balancer named '${name}' already exists and it is configured with different parameters.`,
      );
    return { DNSName: existing.dnsName };
  }
  const lb: ClassicLoadBalancer = {
    loadBalancerName: name,
    dnsName: dnsName(region, name, scheme, "classic"),
    createdTime: sim.clock.now(),
    vpcId: placement.vpcId,
    subnets: placement.subnets,
    availabilityZones: placement.zones,
    securityGroups: resolveSecurityGroups(region, params.strings("SecurityGroups"), placement.vpcId),
    scheme,
    listeners,
    healthCheck: {
      target: `TCP:${listeners[0]?.instancePort ?? 80}`,
      interval: 30,
      timeout: 5,
      unhealthyThreshold: 2,
      healthyThreshold: 10,
    },
    instances: {},
    tags,
    attributes: {
      crossZoneLoadBalancing: false,
      connectionDraining: { enabled: false, timeout: 300 },
      idleTimeout: 60,
      accessLog: { enabled: false },
    },
  };
  region.loadBalancers.set(name, lb);
  sim.faults.created("elb:CreateLoadBalancer", name);
  return { DNSName: lb.dnsName };
};

export const describeLoadBalancers: OpHandler = ({ sim, region, params }) => {
  const names = params.strings("LoadBalancerNames");
  const all = [...region.loadBalancers.values()].filter((lb) => sim.faults.visible(lb.loadBalancerName));
  const picked = names.length ? all.filter((lb) => names.includes(lb.loadBalancerName)) : all;
  // A name not (yet) visible is not found, as right after creation under eventual consistency.
  const missing = names.find((n) => !picked.some((lb) => lb.loadBalancerName === n));
  if (missing !== undefined) throw loadBalancerNotFound(missing);
  const page = pageOf(params, picked, `elb:DescribeLoadBalancers:${names.join(",")}`);
  return {
    LoadBalancerDescriptions: page.items.map((lb) =>
      loadBalancerDescription(region, sim.state.accountId, lb),
    ),
    NextMarker: page.nextToken,
  };
};

// Deleting a load balancer that does not exist succeeds, as the API documents.
export const deleteLoadBalancer: OpHandler = ({ sim, region, params }) => {
  const lb = region.loadBalancers.get(params.req("LoadBalancerName"));
  if (!lb) return {};
  stopInstanceProbing(sim, region, lb);
  region.loadBalancers.delete(lb.loadBalancerName);
  return {};
};

function readListeners(params: ParamReader): Listener[] {
  const listeners = params.objects("Listeners").map((l): Listener => {
    const protocol = l.req("Protocol").toUpperCase();
    if (!["HTTP", "HTTPS", "TCP", "SSL"].includes(protocol))
      throw new SimError("UnsupportedProtocol", `Protocol ${protocol} is not supported`);
    if ((protocol === "HTTPS" || protocol === "SSL") && !l.str("SSLCertificateId"))
      throw validation(`SSLCertificateId is required for ${protocol} listeners`);
    const fallback = protocol === "HTTPS" ? "HTTP" : protocol === "SSL" ? "TCP" : protocol;
    return {
      protocol,
      loadBalancerPort: port(l, "LoadBalancerPort"),
      instanceProtocol: (l.str("InstanceProtocol") ?? fallback).toUpperCase(),
      instancePort: port(l, "InstancePort"),
    };
  });
  if (listeners.length === 0) throw validation("Listeners cannot be empty");
  return listeners;
}

function port(l: ParamReader, name: string): number {
  const n = l.int(name);
  if (n === undefined) throw validation(`${name} must be specified`);
  if (n < 1 || n > 65535) throw validation(`${name} must be between 1 and 65535`);
  return n;
}

/** Subnets, or zones (placed in the default VPC's default subnets, as EC2-VPC accounts are). */
export function place(
  region: RegionState,
  subnetIds: string[],
  zones: string[],
): { vpcId?: string; subnets: string[]; zones: string[] } {
  if (subnetIds.length && zones.length)
    throw validation("Only one of SubnetIds or AvailabilityZones may be specified");
  if (subnetIds.length) {
    const subnets = resolveSubnets(region, subnetIds);
    const vpcId = checkPlacement(subnets);
    return { vpcId, subnets: subnetIds, zones: subnets.map((s) => s.availabilityZone) };
  }
  if (zones.length === 0) throw validation("Either AvailabilityZones or SubnetIds must be specified");
  for (const zone of zones)
    if (!region.availabilityZones.includes(zone)) throw validation(`Invalid Availability Zone: ${zone}`);
  const defaults = [...region.subnets.values()].filter(
    (s) => s.defaultForAz && zones.includes(s.availabilityZone),
  );
  return { vpcId: defaults[0]?.vpcId, subnets: defaults.map((s) => s.subnetId), zones: [...new Set(zones)] };
}

function checkName(name: string): void {
  if (name.length > 32 || !/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(name))
    throw validation(
      `LoadBalancerName '${name}' must have at most 32 characters, only alphanumeric characters and hyphens, and must not begin or end with a hyphen`,
    );
}
