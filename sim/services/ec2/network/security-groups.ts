// CreateSecurityGroup, DescribeSecurityGroups (by id, by name in the default VPC, by filter),
// DeleteSecurityGroup. Inbound rules come from security-group-rules.ts; every group shows EC2's
// default egress rule.
import { SimError } from "../../../api/errors.js";
import type { XmlValue } from "../../../api/xml.js";
import { newId } from "../../../state/ids.js";
import type { RegionState } from "../../../state/store.js";
import type { SecurityGroup } from "../../../state/types.js";
import { applyFilters, readFilters, type FilterTable } from "../../common/filters.js";
import {
  checkEc2Tags,
  checkTagSpecificationTypes,
  ec2TagSet,
  readTagSpecifications,
  tagsFor,
} from "../../common/tags.js";
import type { Ec2Op } from "../context.js";
import { checkIds, groupNotFound } from "../errors.js";
import { defaultVpc, getVpc } from "../lookup.js";
import { ec2Page } from "../paging.js";
import { ingressXml } from "./security-group-rules.js";

export function groupXml(region: RegionState, g: SecurityGroup, accountId: string): XmlValue {
  return {
    ownerId: accountId,
    groupId: g.groupId,
    groupName: g.groupName,
    groupDescription: g.description,
    vpcId: g.vpcId,
    securityGroupArn: `arn:aws:ec2:${region.name}:${accountId}:security-group/${g.groupId}`,
    ipPermissions: ingressXml(g, accountId),
    ipPermissionsEgress: [
      {
        ipProtocol: "-1",
        groups: [],
        ipRanges: [{ cidrIp: "0.0.0.0/0" }],
        ipv6Ranges: [],
        prefixListIds: [],
      },
    ],
    tagSet: ec2TagSet(g.tags),
  };
}

export const createSecurityGroup: Ec2Op = ({ sim, region, params }, ec2) => {
  const groupName = params.req("GroupName");
  const description = params.req("GroupDescription");
  const vpcIdParam = params.str("VpcId");
  const vpc = vpcIdParam ? getVpc(region, vpcIdParam) : defaultVpc(region);
  if (!vpc) throw new SimError("VPCIdNotSpecified", "No default VPC for this user");
  if (groupName.toLowerCase().startsWith("sg-"))
    throw new SimError("InvalidParameterValue", "Group names may not be in the format sg-*.");
  if ([...region.securityGroups.values()].some((g) => g.vpcId === vpc.vpcId && g.groupName === groupName))
    throw new SimError(
      "InvalidGroup.Duplicate",
      `The security group '${groupName}' already exists for VPC '${vpc.vpcId}'`,
    );
  const specs = readTagSpecifications(params);
  checkTagSpecificationTypes(specs, ["security-group"]);
  const tags = tagsFor(specs, "security-group");
  checkEc2Tags(tags);
  const group: SecurityGroup = { groupId: newId("sg"), groupName, description, vpcId: vpc.vpcId, tags };
  region.securityGroups.set(group.groupId, group);
  sim.faults.created("ec2:CreateSecurityGroup", group.groupId);
  return {
    return: true,
    groupId: group.groupId,
    tagSet: ec2TagSet(tags),
    securityGroupArn: `arn:aws:ec2:${region.name}:${ec2.accountId}:security-group/${group.groupId}`,
  };
};

const GROUP_FILTERS: FilterTable<SecurityGroup> = {
  tags: (g) => g.tags,
  fields: {
    "group-id": (g) => g.groupId,
    "group-name": (g) => g.groupName,
    description: (g) => g.description,
    "vpc-id": (g) => g.vpcId,
  },
};

export const describeSecurityGroups: Ec2Op = ({ sim, region, params }, ec2) => {
  const ids = params.strings("GroupId");
  const names = params.strings("GroupName");
  checkIds(ids, "sg", "InvalidGroupId.Malformed");
  const all = [...region.securityGroups.values()].filter((g) => sim.faults.visible(g.groupId));
  for (const id of ids) if (!all.some((g) => g.groupId === id)) throw groupNotFound(id);
  // GroupNames only reach the default VPC, as EC2 documents; other VPCs need the group-name filter.
  const home = defaultVpc(region)?.vpcId;
  for (const name of names)
    if (!all.some((g) => g.groupName === name && g.vpcId === home)) throw groupNotFound(name, home);
  const wanted =
    ids.length || names.length
      ? all.filter((g) => ids.includes(g.groupId) || (names.includes(g.groupName) && g.vpcId === home))
      : all;
  const filters = readFilters(params);
  const page = ec2Page(params, applyFilters(wanted, filters, GROUP_FILTERS), {
    op: "DescribeSecurityGroups",
    filters,
  });
  return {
    securityGroupInfo: page.items.map((g) => groupXml(region, g, ec2.accountId)),
    nextToken: page.nextToken,
  };
};

export const deleteSecurityGroup: Ec2Op = ({ region, params }) => {
  const id = params.str("GroupId");
  const name = params.str("GroupName");
  const home = defaultVpc(region)?.vpcId;
  const group = id
    ? region.securityGroups.get(id)
    : [...region.securityGroups.values()].find((g) => g.groupName === name && g.vpcId === home);
  if (!group) throw groupNotFound(id ?? name ?? "", id ? undefined : home);
  if (group.groupName === "default")
    throw new SimError(
      "CannotDelete",
      `the specified group: "${group.groupId}" name: "default" cannot be deleted by a user`,
    );
  if (
    [...region.instances.values()].some(
      (i) => i.state !== "terminated" && i.securityGroupIds.includes(group.groupId),
    )
  )
    throw new SimError("DependencyViolation", `resource ${group.groupId} has a dependent object`);
  region.securityGroups.delete(group.groupId);
  return { return: true, groupId: group.groupId };
};
