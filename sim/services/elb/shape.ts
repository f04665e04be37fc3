// A classic load balancer as DescribeLoadBalancers returns it.
import type { XmlValue } from "../../api/xml.js";
import type { RegionState } from "../../state/store.js";
import type { ClassicLoadBalancer } from "../../state/types.js";
import { hostedZoneId } from "../elbv2/arns.js";

export function loadBalancerDescription(
  region: RegionState,
  accountId: string,
  lb: ClassicLoadBalancer,
): XmlValue {
  const hc = lb.healthCheck;
  // In a VPC the source group is the load balancer's first security group.
  const group = lb.securityGroups[0] ? region.securityGroups.get(lb.securityGroups[0]) : undefined;
  return {
    LoadBalancerName: lb.loadBalancerName,
    DNSName: lb.dnsName,
    CanonicalHostedZoneName: lb.scheme === "internal" ? undefined : lb.dnsName,
    CanonicalHostedZoneNameID: hostedZoneId(region, "classic"),
    ListenerDescriptions: lb.listeners.map((l) => ({
      Listener: {
        Protocol: l.protocol,
        LoadBalancerPort: l.loadBalancerPort,
        InstanceProtocol: l.instanceProtocol,
        InstancePort: l.instancePort,
      },
      PolicyNames: [],
    })),
    Policies: { AppCookieStickinessPolicies: [], LBCookieStickinessPolicies: [], OtherPolicies: [] },
    BackendServerDescriptions: [],
    AvailabilityZones: lb.availabilityZones,
    Subnets: lb.subnets,
    VPCId: lb.vpcId,
    Instances: Object.keys(lb.instances).map((InstanceId) => ({ InstanceId })),
    HealthCheck: {
      Target: hc.target,
      Interval: hc.interval,
      Timeout: hc.timeout,
      UnhealthyThreshold: hc.unhealthyThreshold,
      HealthyThreshold: hc.healthyThreshold,
    },
    SourceSecurityGroup: group ? { OwnerAlias: accountId, GroupName: group.groupName } : undefined,
    SecurityGroups: lb.securityGroups,
    CreatedTime: lb.createdTime,
    Scheme: lb.scheme,
  };
}
