// Lists the target ASGs' members with a constant number of paginated calls, whatever the fleet
// size: DescribeAutoScalingGroups by names, by tag filters and/or by the project's tag (a group
// found twice counts once, joinMembers), then one DescribeInstances filtered by the groups'
// aws:autoscaling:groupName tag for the private IPs. (The release model's loop made one describe
// call per instance: docs/spec/release.md#diff-listing.)
import {
  paginateDescribeAutoScalingGroups,
  type AutoScalingGroup,
  type Filter as AsgFilter,
} from "@aws-sdk/client-auto-scaling";
import { paginateDescribeInstances } from "@aws-sdk/client-ec2";
import { awsCall } from "#shared/aws/call.js";
import type { AwsClients } from "#shared/aws/clients.js";
import { joinMembers, type Member, type ObservedGroup, type ObservedInstance } from "./members.js";

/** DescribeInstances takes at most 200 values per filter; group names beyond that need more calls. */
const FILTER_VALUES_MAX = 200;

export interface Targets {
  asgNames: readonly string[];
  /** Groups carrying all these tags. */
  tags: Readonly<Record<string, string>>;
  /** Also the groups whose tag `key` is `value`: the project's groups, as the deploy path tags them. */
  project?: { key: string; value: string };
}

export async function listMembers(aws: AwsClients, targets: Targets): Promise<Member[]> {
  const groups = await describeGroups(aws, targets);
  const names = [...new Set(groups.map((g) => g.name))];
  const instances: ObservedInstance[] = [];
  for (let i = 0; i < names.length; i += FILTER_VALUES_MAX) {
    const groupNames = names.slice(i, i + FILTER_VALUES_MAX);
    const pages = paginateDescribeInstances(
      { client: aws.ec2, pageSize: 1000 },
      {
        // Every state: a member whose instance stopped or is terminating must be seen as such and
        // dropped (joinMembers), not mistaken for one launched after this listing.
        Filters: [{ Name: "tag:aws:autoscaling:groupName", Values: groupNames }],
      },
    );
    await awsCall("DescribeInstances", { asg: groupNames.join(",") }, async () => {
      for await (const page of pages) {
        for (const r of page.Reservations ?? []) {
          for (const inst of r.Instances ?? []) {
            if (!inst.InstanceId) continue;
            instances.push({
              instanceId: inst.InstanceId,
              state: inst.State?.Name ?? "unknown",
              ...(inst.PrivateIpAddress ? { privateIp: inst.PrivateIpAddress } : {}),
            });
          }
        }
      }
    });
  }
  return joinMembers(groups, instances);
}

async function describeGroups(aws: AwsClients, targets: Targets): Promise<ObservedGroup[]> {
  const found: AutoScalingGroup[] = [];
  const collect = (input: { AutoScalingGroupNames?: string[]; Filters?: AsgFilter[] }) =>
    awsCall(
      "DescribeAutoScalingGroups",
      {
        asg: input.AutoScalingGroupNames?.join(","),
        filters: input.Filters?.map((f) => `${f.Name}=${f.Values?.join("|")}`).join(","),
      },
      async () => {
        for await (const page of paginateDescribeAutoScalingGroups(
          { client: aws.autoscaling, pageSize: 100 },
          input,
        )) {
          found.push(...(page.AutoScalingGroups ?? []));
        }
      },
    );
  // AutoScalingGroupNames takes at most 100 names per call.
  for (let i = 0; i < targets.asgNames.length; i += 100) {
    await collect({ AutoScalingGroupNames: targets.asgNames.slice(i, i + 100) });
  }
  const tagFilters = Object.entries(targets.tags).map(([k, v]) => ({ Name: `tag:${k}`, Values: [v] }));
  if (tagFilters.length > 0) await collect({ Filters: tagFilters });
  if (targets.project)
    await collect({ Filters: [{ Name: `tag:${targets.project.key}`, Values: [targets.project.value] }] });
  return found.map((g) => ({
    name: g.AutoScalingGroupName ?? "",
    instances: (g.Instances ?? []).map((i) => ({
      instanceId: i.InstanceId ?? "",
      lifecycleState: i.LifecycleState ?? "",
      ...(i.HealthStatus ? { healthStatus: i.HealthStatus } : {}),
    })),
  }));
}
