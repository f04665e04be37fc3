// CreateVpc, DescribeVpcs, DeleteVpc. A new VPC gets its own default security group, as in EC2.
import { SimError } from "../../../api/errors.js";
import type { XmlValue } from "../../../api/xml.js";
import { newId } from "../../../state/ids.js";
import type { Vpc } from "../../../state/types.js";
import { applyFilters, readFilters, type FilterTable } from "../../common/filters.js";
import {
  checkEc2Tags,
  checkTagSpecificationTypes,
  readTagSpecifications,
  tagsFor,
} from "../../common/tags.js";
import type { Ec2Op } from "../context.js";
import { checkIds, vpcNotFound } from "../errors.js";
import { getVpc } from "../lookup.js";
import { ec2Page } from "../paging.js";
import { addDefaultSecurityGroup } from "../seed.js";
import { ec2TagSet } from "../../common/tags.js";

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** A CIDR block within EC2's size limits (/16 to /28). */
export function checkCidr(cidr: string, param: string): void {
  const m = CIDR_RE.exec(cidr);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255))
    throw new SimError(
      "InvalidParameterValue",
      `Value (${cidr}) for parameter ${param} is invalid. This is not a valid CIDR block.`,
    );
  const bits = Number(m[5]);
  if (bits < 16 || bits > 28) throw new SimError("InvalidVpc.Range", `The CIDR '${cidr}' is invalid.`);
}

export function vpcXml(vpc: Vpc, accountId: string): XmlValue {
  return {
    vpcId: vpc.vpcId,
    state: vpc.state,
    cidrBlock: vpc.cidrBlock,
    cidrBlockAssociationSet: [
      {
        associationId: `vpc-cidr-assoc-${vpc.vpcId.slice(4)}`,
        cidrBlock: vpc.cidrBlock,
        cidrBlockState: { state: "associated" },
      },
    ],
    dhcpOptionsId: "dopt-00000000000000001",
    instanceTenancy: "default",
    isDefault: vpc.isDefault,
    ownerId: accountId,
    tagSet: ec2TagSet(vpc.tags),
  };
}

export const createVpc: Ec2Op = ({ sim, region, params }, ec2) => {
  const cidrBlock = params.req("CidrBlock");
  checkCidr(cidrBlock, "cidrBlock");
  const specs = readTagSpecifications(params);
  checkTagSpecificationTypes(specs, ["vpc"]);
  const tags = tagsFor(specs, "vpc");
  checkEc2Tags(tags);
  const vpc: Vpc = { vpcId: newId("vpc"), cidrBlock, isDefault: false, state: "available", tags };
  region.vpcs.set(vpc.vpcId, vpc);
  addDefaultSecurityGroup(region, vpc.vpcId);
  sim.faults.created("ec2:CreateVpc", vpc.vpcId);
  return { vpc: vpcXml(vpc, ec2.accountId) };
};

const VPC_FILTERS: FilterTable<Vpc> = {
  tags: (v) => v.tags,
  fields: {
    "vpc-id": (v) => v.vpcId,
    "cidr-block": (v) => v.cidrBlock,
    cidr: (v) => v.cidrBlock,
    "cidr-block-association.cidr-block": (v) => v.cidrBlock,
    "is-default": (v) => String(v.isDefault),
    state: (v) => v.state,
    "dhcp-options-id": () => "dopt-00000000000000001",
  },
};

export const describeVpcs: Ec2Op = ({ sim, region, params }, ec2) => {
  const ids = params.strings("VpcId");
  checkIds(ids, "vpc", "InvalidVpcID.Malformed");
  const all = [...region.vpcs.values()].filter((v) => sim.faults.visible(v.vpcId));
  for (const id of ids) if (!all.some((v) => v.vpcId === id)) throw vpcNotFound(id);
  const filters = readFilters(params);
  const wanted = ids.length ? all.filter((v) => ids.includes(v.vpcId)) : all;
  const page = ec2Page(params, applyFilters(wanted, filters, VPC_FILTERS), {
    op: "DescribeVpcs",
    filters,
    max: 1000,
  });
  return { vpcSet: page.items.map((v) => vpcXml(v, ec2.accountId)), nextToken: page.nextToken };
};

export const deleteVpc: Ec2Op = ({ region, params }) => {
  const vpc = getVpc(region, params.req("VpcId"));
  const inUse =
    [...region.subnets.values()].some((s) => s.vpcId === vpc.vpcId) ||
    [...region.securityGroups.values()].some((g) => g.vpcId === vpc.vpcId && g.groupName !== "default");
  if (inUse)
    throw new SimError(
      "DependencyViolation",
      `The vpc '${vpc.vpcId}' has dependencies and cannot be deleted.`,
    );
  for (const g of region.securityGroups.values())
    if (g.vpcId === vpc.vpcId) region.securityGroups.delete(g.groupId);
  region.vpcs.delete(vpc.vpcId);
  return { return: true };
};
