// A group's load balancers: classic ones by name, ELBv2 target groups by ARN, one call per kind.
import {
  AttachLoadBalancersCommand,
  AttachLoadBalancerTargetGroupsCommand,
  DetachLoadBalancersCommand,
  DetachLoadBalancerTargetGroupsCommand,
} from "@aws-sdk/client-auto-scaling";
import { awsSend } from "#shared/aws/call.js";
import type { LbRef } from "../actions.js";
import { notFound } from "./already-done.js";
import type { Handlers } from "./handler.js";

const classic = (lbs: LbRef[]) => lbs.flatMap((l) => (l.kind === "classic" ? [l.name] : []));
const targetGroups = (lbs: LbRef[]) => lbs.flatMap((l) => (l.kind === "targetGroup" ? [l.arn] : []));

export const loadBalancerHandlers: Handlers<"attachLbs" | "detachLbs"> = {
  async attachLbs(a, { aws }) {
    if (classic(a.lbs).length)
      await awsSend(
        aws.autoscaling,
        new AttachLoadBalancersCommand({ AutoScalingGroupName: a.group, LoadBalancerNames: classic(a.lbs) }),
        { group: a.group },
      );
    if (targetGroups(a.lbs).length)
      await awsSend(
        aws.autoscaling,
        new AttachLoadBalancerTargetGroupsCommand({
          AutoScalingGroupName: a.group,
          TargetGroupARNs: targetGroups(a.lbs),
        }),
        { group: a.group },
      );
  },

  async detachLbs(a, { aws }) {
    if (classic(a.lbs).length)
      await awsSend(
        aws.autoscaling,
        new DetachLoadBalancersCommand({ AutoScalingGroupName: a.group, LoadBalancerNames: classic(a.lbs) }),
        { group: a.group },
        notFound,
      );
    if (targetGroups(a.lbs).length)
      await awsSend(
        aws.autoscaling,
        new DetachLoadBalancerTargetGroupsCommand({
          AutoScalingGroupName: a.group,
          TargetGroupARNs: targetGroups(a.lbs),
        }),
        { group: a.group },
        notFound,
      );
  },
};
