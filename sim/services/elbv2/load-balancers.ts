// CreateLoadBalancer, DescribeLoadBalancers and DeleteLoadBalancer (application and network).
import type { OpHandler } from "../types.js";
import type { LoadBalancerV2 } from "../../state/types.js";
import { readTagList } from "../common/tags.js";
import { dnsName, loadBalancerArn } from "./arns.js";
import { loadBalancerNotFound, validation, invalidConfiguration } from "./errors.js";
import { pageOf } from "./page.js";
import { loadBalancerShape } from "./shapes.js";
import { checkPlacement, resolveSecurityGroups, resolveSubnets } from "./subnets.js";
import { SimError } from "../../api/errors.js";
import { detachListener } from "./listeners.js";
import { checkTagCount } from "./tags.js";

export const createLoadBalancer: OpHandler = ({ sim, region, params }) => {
  const name = params.req("Name");
  checkName(name);
  const type = params.str("Type") ?? "application";
  if (type !== "application" && type !== "network")
    throw invalidConfiguration(`Load balancer type '${type}' is not supported here`);
  const scheme = params.str("Scheme") ?? "internet-facing";
  if (scheme !== "internet-facing" && scheme !== "internal")
    throw validation(`Scheme '${scheme}' must be 'internet-facing' or 'internal'`);
  const subnetIds = [
    ...params.strings("Subnets"),
    ...params.objects("SubnetMappings").map((m) => m.req("SubnetId")),
  ];
  const subnets = resolveSubnets(region, subnetIds);
  const vpcId = checkPlacement(subnets);
  if (type === "application" && subnets.length < 2)
    throw validation("At least two subnets in two different Availability Zones must be specified");
  if (!vpcId) throw validation("At least one subnet must be specified");
  const tags = readTagList(params, "Tags");
  checkTagCount(tags);
  const securityGroups =
    type === "application" ? resolveSecurityGroups(region, params.strings("SecurityGroups"), vpcId) : [];
  const zones = subnets.map((s) => ({ zoneName: s.availabilityZone, subnetId: s.subnetId }));

  const existing = [...region.loadBalancersV2.values()].find((lb) => lb.loadBalancerName === name);
  if (existing) {
    const same =
      existing.type === type &&
      existing.scheme === scheme &&
      sameSet(
        existing.availabilityZones.map((z) => z.subnetId),
        subnetIds,
      );
    if (!same)
      throw new SimError(
        "DuplicateLoadBalancerName",
        `A load balancer with the same name '${name}' exists, but with different settings`,
      );
    return { LoadBalancers: [loadBalancerShape(region, existing)] };
  }
  const lb: LoadBalancerV2 = {
    loadBalancerArn: loadBalancerArn(region, sim.state.accountId, type, name),
    loadBalancerName: name,
    dnsName: dnsName(region, name, scheme, type),
    type,
    scheme,
    vpcId,
    state: "provisioning",
    createdTime: sim.clock.now(),
    availabilityZones: zones,
    securityGroups,
    listeners: [],
    tags,
    ipAddressType: params.str("IpAddressType") ?? "ipv4",
  };
  region.loadBalancersV2.set(lb.loadBalancerArn, lb);
  sim.faults.created("elbv2:CreateLoadBalancer", lb.loadBalancerArn);
  sim.clock.after(sim.options.delays.loadBalancerProvisionMs, "elbv2 provision", () => {
    if (region.loadBalancersV2.get(lb.loadBalancerArn) === lb) lb.state = "active";
  });
  return { LoadBalancers: [loadBalancerShape(region, lb)] };
};

export const describeLoadBalancers: OpHandler = ({ sim, region, params }) => {
  const arns = params.strings("LoadBalancerArns");
  const names = params.strings("Names");
  if (arns.length && names.length)
    throw validation("Load balancer names and load balancer ARNs cannot be specified at the same time");
  const all = [...region.loadBalancersV2.values()].filter((lb) => sim.faults.visible(lb.loadBalancerArn));
  let picked = all;
  if (arns.length) {
    picked = all.filter((lb) => arns.includes(lb.loadBalancerArn));
    if (picked.length < new Set(arns).size) throw loadBalancerNotFound();
  } else if (names.length) {
    picked = all.filter((lb) => names.includes(lb.loadBalancerName));
    const missing = names.filter((n) => !picked.some((lb) => lb.loadBalancerName === n));
    if (missing.length) throw loadBalancerNotFound(`Load balancers '[${missing.join(", ")}]' not found`);
  }
  const page = pageOf(params, picked, `elbv2:DescribeLoadBalancers:${arns.join(",")}:${names.join(",")}`);
  return { LoadBalancers: page.items.map((lb) => loadBalancerShape(region, lb)), NextMarker: page.nextToken };
};

// Deleting a load balancer that does not exist succeeds, as the API documents.
export const deleteLoadBalancer: OpHandler = ({ region, params }) => {
  const lb = region.loadBalancersV2.get(params.req("LoadBalancerArn"));
  if (!lb) return {};
  for (const listener of [...lb.listeners]) detachListener(region, lb, listener);
  region.loadBalancersV2.delete(lb.loadBalancerArn);
  return {};
};

function checkName(name: string): void {
  if (name.length > 32)
    throw validation(`Load balancer name '${name}' cannot be longer than '32' characters`);
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(name))
    throw validation(
      `Load balancer name '${name}' can only contain characters that are alphanumeric characters or hyphens(-) and must not begin or end with a hyphen`,
    );
  if (name.startsWith("internal-"))
    throw validation(`Load balancer name '${name}' cannot begin with 'internal-'`);
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
