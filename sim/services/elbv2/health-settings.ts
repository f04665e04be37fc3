// Health check settings of a target group: the defaults per protocol, and reading and checking
// the `HealthCheck*` parameters of CreateTargetGroup and ModifyTargetGroup.
import type { ParamReader } from "../../api/params.js";
import type { TargetGroup } from "../../state/types.js";
import { parseMatcher } from "../health/matcher.js";
import { readCount, readSeconds } from "../health/seconds.js";
import { validation } from "./errors.js";

export type HealthSettings = TargetGroup["healthCheck"];

const HTTP = ["HTTP", "HTTPS"];

/** AWS defaults: HTTP(S) groups check `/` expecting 200 every 30 s; TCP-family groups connect. */
export function defaultHealth(protocol: string, healthProtocol?: string): HealthSettings {
  const hcProtocol = healthProtocol ?? (HTTP.includes(protocol) ? protocol : "TCP");
  const tcpGroup = !HTTP.includes(protocol);
  return {
    protocol: hcProtocol,
    port: "traffic-port",
    path: "/",
    intervalSeconds: 30,
    timeoutSeconds: tcpGroup && !HTTP.includes(hcProtocol) ? 10 : tcpGroup ? 6 : 5,
    healthyThresholdCount: 5,
    unhealthyThresholdCount: 2,
    matcher: tcpGroup ? "200-399" : "200",
    enabled: true,
  };
}

/** Applies the `HealthCheck*` parameters present in `params` over `base`, checking them as AWS does. */
export function applyHealthParams(params: ParamReader, base: HealthSettings): HealthSettings {
  const hc: HealthSettings = { ...base };
  const protocol = params.str("HealthCheckProtocol");
  if (protocol !== undefined) {
    if (!["HTTP", "HTTPS", "TCP"].includes(protocol))
      throw validation(`Health check protocol '${protocol}' is not supported`);
    hc.protocol = protocol;
  }
  const port = params.str("HealthCheckPort");
  if (port !== undefined) {
    const n = Number(port);
    if (port !== "traffic-port" && !(Number.isInteger(n) && n >= 1 && n <= 65535))
      throw validation(`Health check port '${port}' must be 'traffic-port' or a port between 1 and 65535`);
    hc.port = port;
  }
  const path = params.str("HealthCheckPath");
  if (path !== undefined) {
    if (!path.startsWith("/"))
      throw validation(`Health check path '${path}' must begin with a '/' character`);
    hc.path = path;
  }
  hc.intervalSeconds = readSeconds(params, "HealthCheckIntervalSeconds") ?? hc.intervalSeconds;
  hc.timeoutSeconds = readSeconds(params, "HealthCheckTimeoutSeconds") ?? hc.timeoutSeconds;
  hc.healthyThresholdCount = readCount(params, "HealthyThresholdCount") ?? hc.healthyThresholdCount;
  hc.unhealthyThresholdCount = readCount(params, "UnhealthyThresholdCount") ?? hc.unhealthyThresholdCount;
  hc.enabled = params.bool("HealthCheckEnabled") ?? hc.enabled;
  const matcher = params.obj("Matcher")?.str("HttpCode");
  if (matcher !== undefined) {
    parseMatcher(matcher);
    hc.matcher = matcher;
  }
  if (hc.timeoutSeconds >= hc.intervalSeconds)
    throw validation(
      `Health check timeout '${hc.timeoutSeconds}' must be smaller than the interval '${hc.intervalSeconds}'`,
    );
  return hc;
}

export function isHttpCheck(hc: HealthSettings): boolean {
  return HTTP.includes(hc.protocol);
}

/** Application load balancer groups (HTTP/HTTPS) are checked over HTTP(S) only. */
export function checkHealthProtocol(groupProtocol: string, hc: HealthSettings): void {
  if (HTTP.includes(groupProtocol) && !HTTP.includes(hc.protocol))
    throw validation(
      `Health check protocol '${hc.protocol}' is not supported for target groups with the protocol '${groupProtocol}'`,
    );
}
