// CreateOrUpdateTags, DeleteTags, DescribeTags: tags of groups, each with PropagateAtLaunch
// (whether instances the group launches get it).
import { SimError, validationError } from "../../api/errors.js";
import type { AsgTag, AutoScalingGroup } from "../../state/types.js";
import type { OpHandler } from "../types.js";
import { groupNotFound } from "./errors.js";
import { readAsgTags } from "./group-input.js";
import { binaryOrder, pageOf } from "./paging.js";
import { tagShape } from "./shapes.js";

const MAX_TAGS = 50;

type TagRequest = ReturnType<typeof readAsgTags>[number];

function targetGroup(
  region: { autoScalingGroups: Map<string, AutoScalingGroup> },
  t: TagRequest,
): AutoScalingGroup {
  if (!t.resourceId) throw validationError("ResourceId is required for a tag.");
  if (t.resourceType !== undefined && t.resourceType !== "auto-scaling-group")
    throw validationError(`Invalid resource type: ${t.resourceType}. Valid value is auto-scaling-group.`);
  const group = region.autoScalingGroups.get(t.resourceId);
  if (!group) throw groupNotFound(t.resourceId);
  return group;
}

export const createOrUpdateTags: OpHandler = ({ region, params }) => {
  const requests = readAsgTags(params);
  const updates = requests.map((t) => ({ group: targetGroup(region, t), tag: t.tag }));
  for (const group of new Set(updates.map((u) => u.group))) {
    const keys = new Set([
      ...group.tags.map((t) => t.key),
      ...updates.filter((u) => u.group === group).map((u) => u.tag.key),
    ]);
    if (keys.size > MAX_TAGS)
      throw new SimError(
        "LimitExceeded",
        `The number of tags specified (${keys.size}) exceeds the maximum allowed (${MAX_TAGS}) for AutoScalingGroup ${group.autoScalingGroupName}.`,
      );
  }
  for (const { group, tag } of updates) {
    const existing = group.tags.find((t) => t.key === tag.key);
    if (existing) Object.assign(existing, tag);
    else group.tags.push(tag);
  }
  return undefined;
};

export const deleteTags: OpHandler = ({ region, params }) => {
  for (const t of readAsgTags(params)) {
    const group = targetGroup(region, t);
    group.tags = group.tags.filter((x) => x.key !== t.tag.key);
  }
  return undefined;
};

const TAG_FILTERS: Record<string, (g: AutoScalingGroup, t: AsgTag) => string> = {
  "auto-scaling-group": (g) => g.autoScalingGroupName,
  key: (_g, t) => t.key,
  value: (_g, t) => t.value,
  "propagate-at-launch": (_g, t) => String(t.propagateAtLaunch),
};

export const describeTags: OpHandler = ({ region, params }) => {
  const filters = params.objects("Filters").map((f) => {
    const name = f.str("Name") ?? "";
    const field = TAG_FILTERS[name];
    if (!field)
      throw validationError(
        `Filter type ${name} is not correct. Allowed Filter types are: auto-scaling-group key value propagate-at-launch`,
      );
    const values = f.strings("Values").map((v) => (name === "propagate-at-launch" ? v.toLowerCase() : v));
    return (g: AutoScalingGroup, t: AsgTag) => values.includes(field(g, t));
  });
  const all = [...region.autoScalingGroups.values()]
    .sort((a, b) => binaryOrder(a.autoScalingGroupName, b.autoScalingGroupName))
    .flatMap((g) => [...g.tags].sort((a, b) => binaryOrder(a.key, b.key)).map((t) => ({ g, t })))
    .filter(({ g, t }) => filters.every((f) => f(g, t)));
  const page = pageOf(all, params, {
    scope: `DescribeTags:${JSON.stringify(params.raw.Filters ?? null)}`,
    defaultSize: 50,
    maxSize: 100,
  });
  return { Tags: page.items.map(({ g, t }) => tagShape(g, t)), NextToken: page.nextToken };
};
