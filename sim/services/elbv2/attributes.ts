// DescribeTargetGroupAttributes and ModifyTargetGroupAttributes. The deregistration delay is
// what the sim acts on (how long a deregistered target drains); the others are kept and echoed.
import type { TargetGroup } from "../../state/types.js";
import type { OpHandler } from "../types.js";
import { validation } from "./errors.js";
import { findTargetGroup } from "./lookup.js";

const DELAY = "deregistration_delay.timeout_seconds";

/** The attributes a new target group has, by protocol family, as DescribeTargetGroupAttributes lists them. */
export function defaultAttributes(protocol: string): Record<string, string> {
  const shared = {
    "stickiness.enabled": "false",
    "load_balancing.cross_zone.enabled": "use_load_balancer_configuration",
    "target_group_health.dns_failover.minimum_healthy_targets.count": "1",
    "target_group_health.dns_failover.minimum_healthy_targets.percentage": "off",
    "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count": "1",
    "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": "off",
  };
  if (protocol === "HTTP" || protocol === "HTTPS")
    return {
      ...shared,
      "stickiness.type": "lb_cookie",
      "stickiness.lb_cookie.duration_seconds": "86400",
      "stickiness.app_cookie.cookie_name": "",
      "stickiness.app_cookie.duration_seconds": "86400",
      "slow_start.duration_seconds": "0",
      "load_balancing.algorithm.type": "round_robin",
      "load_balancing.algorithm.anomaly_mitigation": "off",
    };
  return {
    ...shared,
    "stickiness.type": "source_ip",
    "deregistration_delay.connection_termination.enabled": "false",
    "preserve_client_ip.enabled": "true",
    "proxy_protocol_v2.enabled": "false",
    "target_health_state.unhealthy.connection_termination.enabled": "true",
    "target_health_state.unhealthy.draining_interval_seconds": "0",
  };
}

function attributeList(tg: TargetGroup): { Key: string; Value: string }[] {
  return [
    { Key: DELAY, Value: String(tg.deregistrationDelaySeconds) },
    ...Object.entries(tg.attributes).map(([Key, Value]) => ({ Key, Value })),
  ];
}

export const describeTargetGroupAttributes: OpHandler = ({ region, params }) => {
  const tg = findTargetGroup(region, params.req("TargetGroupArn"));
  return { Attributes: attributeList(tg) };
};

export const modifyTargetGroupAttributes: OpHandler = ({ region, params }) => {
  const tg = findTargetGroup(region, params.req("TargetGroupArn"));
  const changes = params
    .objects("Attributes")
    .map((a) => ({ key: a.req("Key"), value: a.str("Value") ?? "" }));
  if (changes.length === 0) throw validation("At least one attribute must be specified");
  // Check every change before applying any, so a bad attribute leaves the group as it was.
  for (const { key, value } of changes) {
    if (key === DELAY) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 3600)
        throw validation(`'${DELAY}' must be a number between 0 and 3600, got '${value}'`);
    } else if (!(key in tg.attributes)) {
      throw validation(`Target group attribute key '${key}' is not recognized`);
    }
  }
  for (const { key, value } of changes) {
    if (key === DELAY) tg.deregistrationDelaySeconds = Number(value);
    else tg.attributes[key] = value;
  }
  return { Attributes: attributeList(tg) };
};
