// AddTags, RemoveTags and DescribeTags on load balancers, target groups and listeners (by ARN).
import { SimError } from "../../api/errors.js";
import type { RegionState } from "../../state/store.js";
import type { Tags } from "../../state/types.js";
import { queryTagList, readTagList } from "../common/tags.js";
import type { OpHandler } from "../types.js";
import { arnKind } from "./arns.js";
import { loadBalancerNotFound, targetGroupNotFound, validation } from "./errors.js";
import { findListener } from "./lookup.js";

/** ELB allows 50 tags per resource and keeps `aws:` for itself. */
export function checkTagCount(tags: Tags): void {
  if (Object.keys(tags).length > 50)
    throw new SimError(
      "TooManyTags",
      "The quota for the number of tags that can be assigned to a load balancer has been reached",
    );
  for (const key of Object.keys(tags))
    if (key.toLowerCase().startsWith("aws:")) throw validation(`Tag key '${key}' cannot start with 'aws:'`);
}

function tagsOf(region: RegionState, arn: string): Tags {
  switch (arnKind(arn)) {
    case "loadbalancer": {
      const lb = region.loadBalancersV2.get(arn);
      if (!lb) throw loadBalancerNotFound();
      return lb.tags;
    }
    case "targetgroup": {
      const tg = region.targetGroups.get(arn);
      if (!tg) throw targetGroupNotFound();
      return tg.tags;
    }
    case "listener":
      return findListener(region, arn).listener.tags;
    default:
      throw validation(`'${arn}' is not a valid resource ARN`);
  }
}

function resourceArns(params: { strings(name: string): string[] }): string[] {
  const arns = params.strings("ResourceArns");
  if (arns.length === 0) throw validation("At least one resource ARN must be specified");
  if (arns.length > 20) throw validation("You can specify up to 20 resource ARNs");
  return arns;
}

export const addTags: OpHandler = ({ region, params }) => {
  const arns = resourceArns(params);
  const tags = readTagList(params, "Tags");
  const targets = arns.map((arn) => tagsOf(region, arn));
  for (const existing of targets) checkTagCount({ ...existing, ...tags });
  for (const existing of targets) Object.assign(existing, tags);
  return {};
};

export const removeTags: OpHandler = ({ region, params }) => {
  const arns = resourceArns(params);
  const keys = params.strings("TagKeys");
  for (const tags of arns.map((arn) => tagsOf(region, arn))) for (const key of keys) delete tags[key];
  return {};
};

export const describeTags: OpHandler = ({ region, params }) => {
  const arns = resourceArns(params);
  return {
    TagDescriptions: arns.map((arn) => ({ ResourceArn: arn, Tags: queryTagList(tagsOf(region, arn)) })),
  };
};
