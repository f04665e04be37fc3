// AuthorizeSecurityGroupIngress: inbound rules by CIDR or by source group, recorded on the group and
// shown by DescribeSecurityGroups. Every sim address is on loopback, so the rules are not enforced.
import { SimError } from "../../../api/errors.js";
import type { XmlValue } from "../../../api/xml.js";
import { newId } from "../../../state/ids.js";
import type { IngressRule, SecurityGroup } from "../../../state/types.js";
import type { Ec2Op } from "../context.js";
import { groupNotFound } from "../errors.js";

const PROTOCOLS: Record<string, string> = {
  all: "-1",
  "-1": "-1",
  tcp: "tcp",
  "6": "tcp",
  udp: "udp",
  "17": "udp",
  icmp: "icmp",
  "1": "icmp",
};

export const authorizeSecurityGroupIngress: Ec2Op = ({ region, params }) => {
  const id = params.req("GroupId");
  const group = region.securityGroups.get(id);
  if (!group) throw groupNotFound(id);
  const rules: IngressRule[] = [];
  for (const p of params.objects("IpPermissions")) {
    const raw = p.req("IpProtocol").toLowerCase();
    const protocol = PROTOCOLS[raw] ?? (/^\d+$/.test(raw) ? raw : undefined);
    if (!protocol) throw new SimError("InvalidParameterValue", `Invalid value '${raw}' for IP protocol.`);
    const ports = protocol === "-1" ? {} : { fromPort: p.int("FromPort"), toPort: p.int("ToPort") };
    if (protocol === "tcp" || protocol === "udp") {
      if (ports.fromPort === undefined || ports.toPort === undefined)
        throw new SimError("MissingParameter", "The request must contain the parameter portRange");
    }
    for (const r of p.objects("IpRanges"))
      rules.push({ ruleId: "", protocol, ...ports, cidr: r.req("CidrIp") });
    for (const g of p.objects("Groups")) {
      const source = g.req("GroupId");
      if (!region.securityGroups.has(source)) throw groupNotFound(source);
      rules.push({ ruleId: "", protocol, ...ports, sourceGroupId: source });
    }
  }
  if (rules.length === 0) throw new SimError("MissingParameter", "No IP permissions given");
  const existing = group.ingress ?? [];
  for (const r of rules)
    if (existing.some((e) => same(e, r)))
      throw new SimError(
        "InvalidPermission.Duplicate",
        `the specified rule "peer: ${r.cidr ?? r.sourceGroupId}, ${r.protocol.toUpperCase()}" already exists`,
      );
  for (const r of rules) r.ruleId = newId("sgr");
  group.ingress = [...existing, ...rules];
  return {
    return: true,
    securityGroupRuleSet: rules.map((r) => ({
      securityGroupRuleId: r.ruleId,
      groupId: group.groupId,
      isEgress: false,
      ipProtocol: r.protocol,
      fromPort: r.fromPort ?? -1,
      toPort: r.toPort ?? -1,
      cidrIpv4: r.cidr,
      referencedGroupInfo: r.sourceGroupId ? { groupId: r.sourceGroupId } : undefined,
    })),
  };
};

/** The `ipPermissions` of DescribeSecurityGroups: one entry per rule. */
export function ingressXml(g: SecurityGroup, accountId: string): XmlValue[] {
  return (g.ingress ?? []).map((r) => ({
    ipProtocol: r.protocol,
    fromPort: r.fromPort,
    toPort: r.toPort,
    groups: r.sourceGroupId ? [{ groupId: r.sourceGroupId, userId: accountId }] : [],
    ipRanges: r.cidr ? [{ cidrIp: r.cidr }] : [],
    ipv6Ranges: [],
    prefixListIds: [],
  }));
}

const same = (a: IngressRule, b: IngressRule): boolean =>
  a.protocol === b.protocol &&
  a.fromPort === b.fromPort &&
  a.toPort === b.toPort &&
  a.cidr === b.cidr &&
  a.sourceGroupId === b.sourceGroupId;
