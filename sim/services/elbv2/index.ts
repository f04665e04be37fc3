// The ELBv2 service (Application and Network Load Balancers, target groups): its operation table.
import type { QueryService } from "../types.js";
import { describeTargetGroupAttributes, modifyTargetGroupAttributes } from "./attributes.js";
import { createListener, deleteListener, describeListeners, modifyListener } from "./listeners.js";
import { createLoadBalancer, deleteLoadBalancer, describeLoadBalancers } from "./load-balancers.js";
import { addTags, describeTags, removeTags } from "./tags.js";
import {
  createTargetGroup,
  deleteTargetGroup,
  describeTargetGroups,
  modifyTargetGroup,
} from "./target-groups.js";
import { deregisterTargetsOp, describeTargetHealth, registerTargetsOp } from "./targets.js";

export function elbv2Service(): QueryService {
  return {
    name: "elbv2",
    version: "2015-12-01",
    xmlns: "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/",
    throttleCode: "Throttling",
    ops: {
      CreateLoadBalancer: createLoadBalancer,
      DescribeLoadBalancers: describeLoadBalancers,
      DeleteLoadBalancer: deleteLoadBalancer,
      CreateTargetGroup: createTargetGroup,
      DescribeTargetGroups: describeTargetGroups,
      ModifyTargetGroup: modifyTargetGroup,
      DeleteTargetGroup: deleteTargetGroup,
      CreateListener: createListener,
      DescribeListeners: describeListeners,
      ModifyListener: modifyListener,
      DeleteListener: deleteListener,
      RegisterTargets: registerTargetsOp,
      DeregisterTargets: deregisterTargetsOp,
      DescribeTargetHealth: describeTargetHealth,
      DescribeTargetGroupAttributes: describeTargetGroupAttributes,
      ModifyTargetGroupAttributes: modifyTargetGroupAttributes,
      AddTags: addTags,
      RemoveTags: removeTags,
      DescribeTags: describeTags,
    },
  };
}
