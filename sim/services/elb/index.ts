// The classic ELB service: its operation table.
import type { QueryService } from "../types.js";
import { describeLoadBalancerAttributes, modifyLoadBalancerAttributes } from "./attributes.js";
import { configureHealthCheck } from "./health-check.js";
import { deregisterInstancesOp, describeInstanceHealth, registerInstancesOp } from "./instances.js";
import { createLoadBalancer, deleteLoadBalancer, describeLoadBalancers } from "./load-balancers.js";
import { addTags, describeTags, removeTags } from "./tags.js";
import { disableAvailabilityZones, enableAvailabilityZones } from "./zones.js";

export function elbService(): QueryService {
  return {
    name: "elb",
    version: "2012-06-01",
    xmlns: "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/",
    throttleCode: "Throttling",
    ops: {
      CreateLoadBalancer: createLoadBalancer,
      DescribeLoadBalancers: describeLoadBalancers,
      DeleteLoadBalancer: deleteLoadBalancer,
      ConfigureHealthCheck: configureHealthCheck,
      RegisterInstancesWithLoadBalancer: registerInstancesOp,
      DeregisterInstancesFromLoadBalancer: deregisterInstancesOp,
      DescribeInstanceHealth: describeInstanceHealth,
      AddTags: addTags,
      RemoveTags: removeTags,
      DescribeTags: describeTags,
      DescribeLoadBalancerAttributes: describeLoadBalancerAttributes,
      ModifyLoadBalancerAttributes: modifyLoadBalancerAttributes,
      EnableAvailabilityZonesForLoadBalancer: enableAvailabilityZones,
      DisableAvailabilityZonesForLoadBalancer: disableAvailabilityZones,
    },
  };
}
