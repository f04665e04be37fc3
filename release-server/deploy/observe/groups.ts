// The project's groups and their members: one paginated DescribeAutoScalingGroups (tag filter), then
// DescribeInstances filtered by group name, 200 names per request; constant in the number of
// instances. A group is recognised by its name (parsed back with the naming template) and its tags.
import { paginateDescribeAutoScalingGroups, type AutoScalingGroup } from "@aws-sdk/client-auto-scaling";
import { paginateDescribeInstances, type Instance } from "@aws-sdk/client-ec2";
import { awsCall } from "#shared/aws/call.js";
import type { AwsClients } from "#shared/aws/clients.js";
import { tagMap } from "#shared/aws/tags.js";
import { parseName } from "#shared/naming/render.js";
import type { NamingTemplate } from "#shared/naming/template.js";
import type { LaunchSource, ObservedGroup, PendingHandoff } from "./observed.js";
import type { TagKeys } from "../tags.js";

/** EC2 filter values per request (the documented maximum). */
const filterValuesMax = 200;

export interface GroupQuery {
  project: string;
  naming: NamingTemplate;
  keys: TagKeys;
}

export async function observeGroups(aws: AwsClients, q: GroupQuery): Promise<ObservedGroup[]> {
  const groups: ObservedGroup[] = [];
  await awsCall("DescribeAutoScalingGroups", { project: q.project }, async () => {
    const pages = paginateDescribeAutoScalingGroups(
      { client: aws.autoscaling, pageSize: 100 },
      { Filters: [{ Name: "tag-key", Values: [q.keys.compName] }] },
    );
    for await (const page of pages) {
      for (const g of page.AutoScalingGroups ?? []) {
        const found = toGroup(g, q);
        if (found) groups.push(found);
      }
    }
  });
  await addInstanceDetails(aws, groups, q.keys);
  return groups.sort((a, b) => a.name.localeCompare(b.name));
}

function toGroup(g: AutoScalingGroup, q: GroupQuery): ObservedGroup | undefined {
  const name = g.AutoScalingGroupName ?? "";
  const parts = parseName(q.naming, name, { project: q.project });
  const tags = tagMap(g.Tags);
  const unpropagated = (g.Tags ?? []).filter((t) => t.PropagateAtLaunch !== true).map((t) => t.Key ?? "");
  // docs/spec/deploy.md#limited-tags: skopos:comp_name must be exactly the component part of the group's
  // name.
  if (!parts || tags[q.keys.compName] !== parts.component) return undefined;
  const lt = g.LaunchTemplate ?? g.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
  const launch: LaunchSource | undefined = lt
    ? {
        kind: "template",
        id: lt.LaunchTemplateId ?? "",
        name: lt.LaunchTemplateName ?? "",
        version: lt.Version ?? "$Default",
      }
    : g.LaunchConfigurationName
      ? { kind: "configuration", name: g.LaunchConfigurationName }
      : undefined;
  return {
    name,
    component: parts.component,
    slot: parts.slot,
    managed: tags[q.keys.project] === q.project,
    imageId: tags[q.keys.imageId],
    digest: tags[q.keys.digest],
    launch,
    minSize: g.MinSize ?? 0,
    maxSize: g.MaxSize ?? 0,
    desiredCapacity: g.DesiredCapacity ?? 0,
    availabilityZones: g.AvailabilityZones ?? [],
    loadBalancerNames: g.LoadBalancerNames ?? [],
    targetGroupArns: g.TargetGroupARNs ?? [],
    instances: (g.Instances ?? []).map((i) => ({
      instanceId: i.InstanceId ?? "",
      lifecycleState: i.LifecycleState ?? "",
      healthStatus: i.HealthStatus ?? "",
      availabilityZone: i.AvailabilityZone ?? "",
    })),
    deleting: g.Status === "Delete in progress",
    createdTime: g.CreatedTime?.toISOString() ?? "",
    tags,
    ...(unpropagated.length > 0 ? { unpropagatedTags: unpropagated } : {}),
  };
}

async function describeInstances(
  aws: AwsClients,
  filters: { Name: string; Values: string[] }[],
): Promise<Instance[]> {
  const out: Instance[] = [];
  await awsCall("DescribeInstances", {}, async () => {
    for await (const page of paginateDescribeInstances(
      { client: aws.ec2, pageSize: 1000 },
      { Filters: filters },
    )) {
      for (const r of page.Reservations ?? []) out.push(...(r.Instances ?? []));
    }
  });
  return out;
}

async function addInstanceDetails(aws: AwsClients, groups: ObservedGroup[], keys: TagKeys): Promise<void> {
  const names = groups.filter((g) => g.instances.length > 0).map((g) => g.name);
  const byId = new Map<string, Instance>();
  for (let i = 0; i < names.length; i += filterValuesMax) {
    const found = await describeInstances(aws, [
      { Name: "tag:aws:autoscaling:groupName", Values: names.slice(i, i + filterValuesMax) },
    ]);
    for (const instance of found) byId.set(instance.InstanceId ?? "", instance);
  }
  for (const g of groups) {
    for (const member of g.instances) {
      const instance = byId.get(member.instanceId);
      if (!instance) continue;
      member.ec2State = instance.State?.Name;
      member.privateIp = instance.PrivateIpAddress;
      member.imageId = tagMap(instance.Tags)[keys.imageId];
    }
  }
}

/** Instances tagged for hand-off that left their group but were never confirmed handed off. */
export async function observePendingHandoffs(
  aws: AwsClients,
  project: string,
  keys: TagKeys,
  members: Set<string>,
): Promise<PendingHandoff[]> {
  const found = await describeInstances(aws, [
    { Name: `tag:${keys.handoff}`, Values: ["pending"] },
    { Name: `tag:${keys.project}`, Values: [project] },
    { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] },
  ]);
  return found
    .filter((i) => !members.has(i.InstanceId ?? ""))
    .map((i) => ({
      instanceId: i.InstanceId ?? "",
      component: tagMap(i.Tags)[keys.compName] ?? "",
      ...(i.PrivateIpAddress ? { privateIp: i.PrivateIpAddress } : {}),
    }));
}
