// AddTags, RemoveTags and DescribeTags of classic load balancers (by name).
import { SimError } from "../../api/errors.js";
import type { Tags } from "../../state/types.js";
import { queryTagList, readTagList } from "../common/tags.js";
import type { OpHandler } from "../types.js";
import { findLoadBalancer, validation } from "./errors.js";

export function checkClassicTags(tags: Tags): void {
  if (Object.keys(tags).length > 50)
    throw new SimError(
      "TooManyTags",
      "Tagging failed because the maximum number of tags (50) would be exceeded",
    );
  for (const key of Object.keys(tags))
    if (key.toLowerCase().startsWith("aws:")) throw validation(`Tag key '${key}' cannot start with 'aws:'`);
}

function names(params: { strings(name: string): string[] }, max: number): string[] {
  const list = params.strings("LoadBalancerNames");
  if (list.length === 0) throw validation("LoadBalancerNames must be specified");
  if (list.length > max) throw validation(`You can specify at most ${max} load balancer names`);
  return list;
}

export const addTags: OpHandler = ({ region, params }) => {
  const lbs = names(params, 1).map((n) => findLoadBalancer(region, n));
  const keys = params.objects("Tags").map((t) => t.str("Key"));
  if (new Set(keys).size < keys.length) throw new SimError("DuplicateTagKeys", "Tag keys must be unique");
  const tags = readTagList(params, "Tags");
  for (const lb of lbs) checkClassicTags({ ...lb.tags, ...tags });
  for (const lb of lbs) Object.assign(lb.tags, tags);
  return {};
};

export const removeTags: OpHandler = ({ region, params }) => {
  const lbs = names(params, 1).map((n) => findLoadBalancer(region, n));
  const keys = params.objects("Tags").map((t) => t.req("Key"));
  for (const lb of lbs) for (const key of keys) delete lb.tags[key];
  return {};
};

export const describeTags: OpHandler = ({ region, params }) => ({
  TagDescriptions: names(params, 20).map((n) => ({
    LoadBalancerName: n,
    Tags: queryTagList(findLoadBalancer(region, n).tags),
  })),
});
