// DescribeLoadBalancerAttributes and ModifyLoadBalancerAttributes (cross-zone, connection
// draining, idle timeout, access log). Connection draining is what the sim acts on.
import type { ParamReader } from "../../api/params.js";
import type { XmlValue } from "../../api/xml.js";
import type { ClassicLbAttributes } from "../../state/types.js";
import type { OpHandler } from "../types.js";
import { findLoadBalancer, validation } from "./errors.js";

function shape(a: ClassicLbAttributes): XmlValue {
  return {
    CrossZoneLoadBalancing: { Enabled: a.crossZoneLoadBalancing },
    AccessLog: {
      Enabled: a.accessLog.enabled,
      S3BucketName: a.accessLog.s3BucketName,
      EmitInterval: a.accessLog.emitInterval,
      S3BucketPrefix: a.accessLog.s3BucketPrefix,
    },
    ConnectionDraining: { Enabled: a.connectionDraining.enabled, Timeout: a.connectionDraining.timeout },
    ConnectionSettings: { IdleTimeout: a.idleTimeout },
    AdditionalAttributes: [],
  };
}

export const describeLoadBalancerAttributes: OpHandler = ({ region, params }) => {
  const lb = findLoadBalancer(region, params.req("LoadBalancerName"));
  return { LoadBalancerAttributes: shape(lb.attributes) };
};

export const modifyLoadBalancerAttributes: OpHandler = ({ region, params }) => {
  const lb = findLoadBalancer(region, params.req("LoadBalancerName"));
  const input = params.obj("LoadBalancerAttributes");
  if (!input) throw validation("LoadBalancerAttributes must be specified");
  lb.attributes = apply(input, lb.attributes);
  return { LoadBalancerName: lb.loadBalancerName, LoadBalancerAttributes: shape(lb.attributes) };
};

function apply(input: ParamReader, current: ClassicLbAttributes): ClassicLbAttributes {
  const next = structuredClone(current);
  const cross = input.obj("CrossZoneLoadBalancing")?.bool("Enabled");
  if (cross !== undefined) next.crossZoneLoadBalancing = cross;
  const draining = input.obj("ConnectionDraining");
  if (draining) {
    next.connectionDraining.enabled = draining.bool("Enabled") ?? next.connectionDraining.enabled;
    const timeout = draining.int("Timeout");
    if (timeout !== undefined && (timeout < 1 || timeout > 3600))
      throw validation("ConnectionDraining.Timeout must be between 1 and 3600 seconds");
    if (timeout !== undefined) next.connectionDraining.timeout = timeout;
  }
  const idle = input.obj("ConnectionSettings")?.int("IdleTimeout");
  if (idle !== undefined) {
    if (idle < 1 || idle > 4000)
      throw validation("ConnectionSettings.IdleTimeout must be between 1 and 4000 seconds");
    next.idleTimeout = idle;
  }
  const log = input.obj("AccessLog");
  if (log) {
    next.accessLog = {
      enabled: log.bool("Enabled") ?? false,
      s3BucketName: log.str("S3BucketName"),
      emitInterval: log.int("EmitInterval"),
      s3BucketPrefix: log.str("S3BucketPrefix"),
    };
  }
  return next;
}
