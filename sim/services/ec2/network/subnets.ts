// CreateSubnet and DescribeSubnets. CIDRs are labels: instance addresses come from 127.0.0.0/8.
import { SimError } from "../../../api/errors.js";
import type { XmlValue } from "../../../api/xml.js";
import { newId } from "../../../state/ids.js";
import type { RegionState } from "../../../state/store.js";
import type { Subnet } from "../../../state/types.js";
import { applyFilters, readFilters, type FilterTable } from "../../common/filters.js";
import {
  checkEc2Tags,
  checkTagSpecificationTypes,
  ec2TagSet,
  readTagSpecifications,
  tagsFor,
} from "../../common/tags.js";
import type { Ec2Op } from "../context.js";
import { checkIds, subnetNotFound } from "../errors.js";
import { getSubnet, getVpc } from "../lookup.js";
import { ec2Page } from "../paging.js";
import { checkCidr } from "./vpcs.js";

function zoneId(region: RegionState, az: string): string {
  return `${region.name.replace(/-/g, "").slice(0, 4)}-az${region.availabilityZones.indexOf(az) + 1}`;
}

export function subnetXml(region: RegionState, s: Subnet, accountId: string): XmlValue {
  const bits = Number(s.cidrBlock.split("/")[1] ?? 20);
  return {
    subnetId: s.subnetId,
    subnetArn: `arn:aws:ec2:${region.name}:${accountId}:subnet/${s.subnetId}`,
    state: s.state,
    vpcId: s.vpcId,
    cidrBlock: s.cidrBlock,
    // AWS reserves five addresses in every subnet.
    availableIpAddressCount: 2 ** (32 - bits) - 5,
    availabilityZone: s.availabilityZone,
    availabilityZoneId: zoneId(region, s.availabilityZone),
    defaultForAz: s.defaultForAz,
    mapPublicIpOnLaunch: s.mapPublicIpOnLaunch,
    assignIpv6AddressOnCreation: false,
    ownerId: accountId,
    tagSet: ec2TagSet(s.tags),
  };
}

export const createSubnet: Ec2Op = ({ sim, region, params }, ec2) => {
  const vpc = getVpc(region, params.req("VpcId"));
  const cidrBlock = params.req("CidrBlock");
  checkCidr(cidrBlock, "cidrBlock");
  const availabilityZone = params.str("AvailabilityZone") ?? region.availabilityZones[0]!;
  if (!region.availabilityZones.includes(availabilityZone))
    throw new SimError(
      "InvalidParameterValue",
      `Value (${availabilityZone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${region.availabilityZones.join(", ")}.`,
    );
  if ([...region.subnets.values()].some((s) => s.vpcId === vpc.vpcId && s.cidrBlock === cidrBlock))
    throw new SimError("InvalidSubnet.Conflict", `The CIDR '${cidrBlock}' conflicts with another subnet`);
  const specs = readTagSpecifications(params);
  checkTagSpecificationTypes(specs, ["subnet"]);
  const tags = tagsFor(specs, "subnet");
  checkEc2Tags(tags);
  const subnet: Subnet = {
    subnetId: newId("subnet"),
    vpcId: vpc.vpcId,
    availabilityZone,
    cidrBlock,
    mapPublicIpOnLaunch: false,
    defaultForAz: false,
    state: "available",
    tags,
  };
  region.subnets.set(subnet.subnetId, subnet);
  sim.faults.created("ec2:CreateSubnet", subnet.subnetId);
  return { subnet: subnetXml(region, subnet, ec2.accountId) };
};

function subnetFilters(region: RegionState): FilterTable<Subnet> {
  return {
    tags: (s) => s.tags,
    fields: {
      "subnet-id": (s) => s.subnetId,
      "vpc-id": (s) => s.vpcId,
      "availability-zone": (s) => s.availabilityZone,
      "availability-zone-id": (s) => zoneId(region, s.availabilityZone),
      "cidr-block": (s) => s.cidrBlock,
      cidr: (s) => s.cidrBlock,
      "default-for-az": (s) => String(s.defaultForAz),
      defaultForAz: (s) => String(s.defaultForAz),
      "map-public-ip-on-launch": (s) => String(s.mapPublicIpOnLaunch),
      state: (s) => s.state,
    },
  };
}

export const describeSubnets: Ec2Op = ({ sim, region, params }, ec2) => {
  const ids = params.strings("SubnetId");
  checkIds(ids, "subnet", "InvalidSubnetID.Malformed");
  const all = [...region.subnets.values()].filter((s) => sim.faults.visible(s.subnetId));
  for (const id of ids) if (!all.some((s) => s.subnetId === id)) throw subnetNotFound(id);
  const filters = readFilters(params);
  const wanted = ids.length ? all.filter((s) => ids.includes(s.subnetId)) : all;
  const page = ec2Page(params, applyFilters(wanted, filters, subnetFilters(region)), {
    op: "DescribeSubnets",
    filters,
  });
  return { subnetSet: page.items.map((s) => subnetXml(region, s, ec2.accountId)), nextToken: page.nextToken };
};

export const deleteSubnet: Ec2Op = ({ region, params }) => {
  const subnet = getSubnet(region, params.req("SubnetId"));
  if ([...region.instances.values()].some((i) => i.subnetId === subnet.subnetId && i.state !== "terminated"))
    throw new SimError(
      "DependencyViolation",
      `The subnet '${subnet.subnetId}' has dependencies and cannot be deleted.`,
    );
  region.subnets.delete(subnet.subnetId);
  return { return: true };
};
