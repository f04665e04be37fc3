// The load balancers bound in `lb`: classic ones and ELBv2 target groups (with the zones of the load
// balancers forwarding to them), their drain times and the health of every registered instance.
// A few listings plus one health and one attributes call per bound load balancer.
import {
  DescribeInstanceHealthCommand,
  DescribeLoadBalancerAttributesCommand,
  paginateDescribeLoadBalancers as paginateClassic,
  type LoadBalancerDescription,
} from "@aws-sdk/client-elastic-load-balancing";
import {
  DescribeTargetGroupAttributesCommand,
  DescribeTargetHealthCommand,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
  type TargetGroup,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { awsCall, awsSend } from "#shared/aws/call.js";
import type { AwsClients } from "#shared/aws/clients.js";
import type { LbBinding } from "#shared/config/ec2-asg-schema.js";
import { lbLookupKey } from "../desired.js";
import type { ObservedClassicLb, ObservedLb, ObservedTargetGroup, TargetHealth } from "./observed.js";

export async function observeLbs(
  aws: AwsClients,
  bindings: LbBinding[],
): Promise<Record<string, ObservedLb>> {
  const out: Record<string, ObservedLb> = {};
  const classic = bindings.filter((b): b is string => typeof b === "string");
  const groups = bindings.filter((b) => typeof b !== "string").map((b) => lbLookupKey(b));
  if (classic.length > 0) {
    for (const lb of await observeClassic(aws, classic)) out[lb.name] = lb;
  }
  if (groups.length > 0) {
    for (const [key, tg] of await observeTargetGroups(aws, groups)) out[key] = tg;
  }
  return out;
}

async function observeClassic(aws: AwsClients, names: string[]): Promise<ObservedClassicLb[]> {
  const found: LoadBalancerDescription[] = [];
  await awsCall("DescribeLoadBalancers", { lbs: names.join(",") }, async () => {
    for await (const page of paginateClassic({ client: aws.elb, pageSize: 400 }, {}))
      for (const d of page.LoadBalancerDescriptions ?? [])
        if (names.includes(d.LoadBalancerName ?? "")) found.push(d);
  });
  const out: ObservedClassicLb[] = [];
  for (const d of found) {
    const name = d.LoadBalancerName ?? "";
    const attrs = await awsSend(
      aws.elb,
      new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: name }),
      {
        lb: name,
      },
    );
    const draining = attrs.LoadBalancerAttributes?.ConnectionDraining;
    const health = await awsSend(aws.elb, new DescribeInstanceHealthCommand({ LoadBalancerName: name }), {
      lb: name,
    });
    out.push({
      kind: "classic",
      name,
      vpcId: d.VPCId,
      zones: d.AvailabilityZones ?? [],
      drainSeconds: draining?.Enabled ? (draining.Timeout ?? 300) : 0,
      health: Object.fromEntries(
        (health.InstanceStates ?? []).map((s): [string, TargetHealth] => [
          s.InstanceId ?? "",
          { state: s.State ?? "", reason: s.ReasonCode, description: s.Description },
        ]),
      ),
    });
  }
  return out;
}

async function observeTargetGroups(
  aws: AwsClients,
  refs: string[],
): Promise<[string, ObservedTargetGroup][]> {
  const matches: [string, TargetGroup][] = [];
  await awsCall("DescribeTargetGroups", { targetGroups: refs.join(",") }, async () => {
    for await (const page of paginateDescribeTargetGroups({ client: aws.elbv2, pageSize: 400 }, {})) {
      for (const tg of page.TargetGroups ?? []) {
        for (const ref of refs)
          if (ref === tg.TargetGroupName || ref === tg.TargetGroupArn) matches.push([ref, tg]);
      }
    }
  });
  if (matches.length === 0) return [];
  const zonesByLb = new Map<string, string[]>();
  await awsCall("DescribeLoadBalancers", {}, async () => {
    for await (const page of paginateDescribeLoadBalancers({ client: aws.elbv2, pageSize: 400 }, {})) {
      for (const lb of page.LoadBalancers ?? []) {
        zonesByLb.set(
          lb.LoadBalancerArn ?? "",
          (lb.AvailabilityZones ?? []).map((z) => z.ZoneName ?? ""),
        );
      }
    }
  });
  const out: [string, ObservedTargetGroup][] = [];
  for (const [ref, tg] of matches) {
    const arn = tg.TargetGroupArn ?? "";
    const ids = { targetGroup: tg.TargetGroupName };
    const attrs = await awsSend(
      aws.elbv2,
      new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }),
      ids,
    );
    const delay = attrs.Attributes?.find((a) => a.Key === "deregistration_delay.timeout_seconds")?.Value;
    const health = await awsSend(aws.elbv2, new DescribeTargetHealthCommand({ TargetGroupArn: arn }), ids);
    const lbArns = tg.LoadBalancerArns ?? [];
    out.push([
      ref,
      {
        kind: "targetGroup",
        arn,
        name: tg.TargetGroupName ?? "",
        vpcId: tg.VpcId,
        port: tg.Port,
        zones: [...new Set(lbArns.flatMap((a) => zonesByLb.get(a) ?? []))].sort(),
        loadBalancerArns: lbArns,
        drainSeconds: delay === undefined ? 300 : Number(delay),
        health: Object.fromEntries(
          (health.TargetHealthDescriptions ?? []).map((d): [string, TargetHealth] => [
            d.Target?.Id ?? "",
            {
              state: d.TargetHealth?.State ?? "",
              reason: d.TargetHealth?.Reason,
              description: d.TargetHealth?.Description,
            },
          ]),
        ),
      },
    ]);
  }
  return out;
}
