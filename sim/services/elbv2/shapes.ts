// ELBv2 resources as the API returns them (PascalCase members, lists as <member>).
import type { XmlValue } from "../../api/xml.js";
import type { RegionState } from "../../state/store.js";
import type { ListenerAction, LoadBalancerV2, TargetGroup } from "../../state/types.js";
import { hostedZoneId } from "./arns.js";

export function loadBalancerShape(region: RegionState, lb: LoadBalancerV2): XmlValue {
  return {
    LoadBalancerArn: lb.loadBalancerArn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: hostedZoneId(region, lb.type),
    CreatedTime: lb.createdTime,
    LoadBalancerName: lb.loadBalancerName,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: lb.state },
    Type: lb.type,
    AvailabilityZones: lb.availabilityZones.map((az) => ({
      ZoneName: az.zoneName,
      SubnetId: az.subnetId,
      LoadBalancerAddresses: [],
    })),
    SecurityGroups: lb.type === "application" ? lb.securityGroups : undefined,
    IpAddressType: lb.ipAddressType,
  };
}

export function targetGroupShape(tg: TargetGroup): XmlValue {
  const hc = tg.healthCheck;
  const http = hc.protocol === "HTTP" || hc.protocol === "HTTPS";
  return {
    TargetGroupArn: tg.targetGroupArn,
    TargetGroupName: tg.targetGroupName,
    Protocol: tg.protocol,
    Port: tg.port,
    VpcId: tg.vpcId,
    HealthCheckProtocol: hc.protocol,
    HealthCheckPort: hc.port,
    HealthCheckEnabled: hc.enabled,
    HealthCheckIntervalSeconds: hc.intervalSeconds,
    HealthCheckTimeoutSeconds: hc.timeoutSeconds,
    HealthyThresholdCount: hc.healthyThresholdCount,
    UnhealthyThresholdCount: hc.unhealthyThresholdCount,
    HealthCheckPath: http ? hc.path : undefined,
    Matcher: http ? { HttpCode: hc.matcher } : undefined,
    LoadBalancerArns: tg.loadBalancerArns,
    TargetType: tg.targetType,
    ProtocolVersion: tg.protocolVersion,
    IpAddressType: "ipv4",
  };
}

export function actionShape(action: ListenerAction): XmlValue {
  return {
    Type: action.type,
    TargetGroupArn: action.targetGroupArn,
    Order: action.order,
    ForwardConfig: action.forward
      ? {
          TargetGroups: action.forward.map((f) => ({
            TargetGroupArn: f.targetGroupArn,
            Weight: f.weight ?? 1,
          })),
          TargetGroupStickinessConfig: { Enabled: false },
        }
      : undefined,
  };
}

export function listenerShape(lb: LoadBalancerV2, listener: LoadBalancerV2["listeners"][number]): XmlValue {
  return {
    ListenerArn: listener.listenerArn,
    LoadBalancerArn: lb.loadBalancerArn,
    Port: listener.port,
    Protocol: listener.protocol,
    DefaultActions: listener.defaultActions.map(actionShape),
  };
}
