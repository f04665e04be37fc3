// CreateTargetGroup, DescribeTargetGroups, ModifyTargetGroup and DeleteTargetGroup.
import { SimError } from "../../api/errors.js";
import type { TargetGroup } from "../../state/types.js";
import { readTagList } from "../common/tags.js";
import type { OpHandler } from "../types.js";
import { targetGroupArn } from "./arns.js";
import { defaultAttributes } from "./attributes.js";
import { targetGroupNotFound, validation } from "./errors.js";
import { applyHealthParams, checkHealthProtocol, defaultHealth } from "./health-settings.js";
import { findLoadBalancer, findTargetGroup } from "./lookup.js";
import { pageOf } from "./page.js";
import { targetGroupShape } from "./shapes.js";
import { restartProbing, stopProbing } from "./target-health.js";
import { checkTagCount } from "./tags.js";

const PROTOCOLS = ["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP"];

export const createTargetGroup: OpHandler = ({ sim, region, params }) => {
  const name = params.req("Name");
  checkName(name);
  const targetType = params.str("TargetType") ?? "instance";
  if (targetType !== "instance" && targetType !== "ip")
    throw validation(`Target type '${targetType}' is not supported here`);
  const protocol = params.str("Protocol");
  const port = params.int("Port");
  const vpcId = params.str("VpcId");
  if (!protocol) throw validation("A protocol must be specified");
  if (!PROTOCOLS.includes(protocol)) throw validation(`Protocol '${protocol}' is not supported`);
  if (port === undefined) throw validation("A port must be specified");
  if (port < 1 || port > 65535) throw validation(`Port '${port}' must be between 1 and 65535`);
  if (!vpcId) throw validation("A VPC ID must be specified");
  if (!region.vpcs.has(vpcId)) throw validation(`The VPC ID '${vpcId}' is not found`);
  const healthCheck = applyHealthParams(params, defaultHealth(protocol, params.str("HealthCheckProtocol")));
  checkHealthProtocol(protocol, healthCheck);
  const tags = readTagList(params, "Tags");
  checkTagCount(tags);
  const existing = [...region.targetGroups.values()].find((tg) => tg.targetGroupName === name);
  if (existing) {
    const same =
      existing.protocol === protocol &&
      existing.port === port &&
      existing.vpcId === vpcId &&
      existing.targetType === targetType &&
      JSON.stringify(existing.healthCheck) === JSON.stringify(healthCheck);
    if (!same)
      throw new SimError(
        "DuplicateTargetGroupName",
        `A target group with the same name '${name}' exists, but with different settings`,
      );
    return { TargetGroups: [targetGroupShape(existing)] };
  }
  const tg: TargetGroup = {
    targetGroupArn: targetGroupArn(region, sim.state.accountId, name),
    targetGroupName: name,
    protocol,
    port,
    vpcId,
    targetType,
    healthCheck,
    deregistrationDelaySeconds: 300,
    attributes: defaultAttributes(protocol),
    protocolVersion:
      protocol === "HTTP" || protocol === "HTTPS" ? (params.str("ProtocolVersion") ?? "HTTP1") : undefined,
    loadBalancerArns: [],
    targets: {},
    tags,
  };
  region.targetGroups.set(tg.targetGroupArn, tg);
  sim.faults.created("elbv2:CreateTargetGroup", tg.targetGroupArn);
  return { TargetGroups: [targetGroupShape(tg)] };
};

export const describeTargetGroups: OpHandler = ({ sim, region, params }) => {
  const lbArn = params.str("LoadBalancerArn");
  const arns = params.strings("TargetGroupArns");
  const names = params.strings("Names");
  if ([lbArn !== undefined, arns.length > 0, names.length > 0].filter(Boolean).length > 1)
    throw validation("Only one of LoadBalancerArn, TargetGroupArns or Names can be specified");
  const all = [...region.targetGroups.values()].filter((tg) => sim.faults.visible(tg.targetGroupArn));
  let picked = all;
  if (lbArn) {
    findLoadBalancer(region, lbArn);
    picked = all.filter((tg) => tg.loadBalancerArns.includes(lbArn));
  } else if (arns.length) {
    picked = all.filter((tg) => arns.includes(tg.targetGroupArn));
    if (picked.length < new Set(arns).size) throw targetGroupNotFound();
  } else if (names.length) {
    picked = all.filter((tg) => names.includes(tg.targetGroupName));
    const missing = names.filter((n) => !picked.some((tg) => tg.targetGroupName === n));
    if (missing.length) throw targetGroupNotFound(`Target groups '[${missing.join(", ")}]' not found`);
  }
  const page = pageOf(
    params,
    picked,
    `elbv2:DescribeTargetGroups:${lbArn ?? ""}:${arns.join(",")}:${names.join(",")}`,
  );
  return { TargetGroups: page.items.map(targetGroupShape), NextMarker: page.nextToken };
};

export const modifyTargetGroup: OpHandler = ({ sim, region, params }) => {
  const tg = findTargetGroup(region, params.req("TargetGroupArn"));
  const before = tg.healthCheck.intervalSeconds;
  const healthCheck = applyHealthParams(params, tg.healthCheck);
  checkHealthProtocol(tg.protocol, healthCheck);
  tg.healthCheck = healthCheck;
  if (tg.healthCheck.intervalSeconds !== before) restartProbing(sim, region, tg);
  return { TargetGroups: [targetGroupShape(tg)] };
};

// Deleting a group that does not exist succeeds; one a listener forwards to is refused.
export const deleteTargetGroup: OpHandler = ({ sim, region, params }) => {
  const arn = params.req("TargetGroupArn");
  const tg = region.targetGroups.get(arn);
  if (!tg) return {};
  if (tg.loadBalancerArns.length)
    throw new SimError("ResourceInUse", `Target group '${arn}' is currently in use by a listener or a rule`);
  stopProbing(sim, tg);
  region.targetGroups.delete(arn);
  return {};
};

function checkName(name: string): void {
  if (name.length > 32) throw validation(`Target group name '${name}' cannot be longer than '32' characters`);
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(name))
    throw validation(
      `Target group name '${name}' can only contain characters that are alphanumeric characters or hyphens(-) and must not begin or end with a hyphen`,
    );
}
