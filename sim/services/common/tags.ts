// Tags in the shapes the APIs carry them: EC2 `Tag.N.Key/Value` and `TagSpecification.N`
// requests, `tagSet` items in EC2 responses, `Key`/`Value` members in the query services.
import { SimError } from "../../api/errors.js";
import type { ParamReader } from "../../api/params.js";
import type { Tags } from "../../state/types.js";

export interface TagSpecification {
  resourceType: string;
  tags: Tags;
}

/** Reads a list of `{Key, Value}` structures (`Tag.N.Key`, `Tags.member.N.Key`). Value defaults to "". */
export function readTagList(params: ParamReader, name: string): Tags {
  const tags: Tags = {};
  for (const t of params.objects(name)) {
    const key = t.str("Key");
    if (key === undefined) throw new SimError("InvalidParameterValue", "Tag key must not be empty");
    tags[key] = t.str("Value") ?? "";
  }
  return tags;
}

/** Reads EC2 `TagSpecification.N.ResourceType` + `TagSpecification.N.Tag.M`. */
export function readTagSpecifications(params: ParamReader, name = "TagSpecification"): TagSpecification[] {
  return params.objects(name).map((spec) => ({
    resourceType: spec.str("ResourceType") ?? "",
    tags: readTagList(spec, "Tag"),
  }));
}

/** The tags a list of specifications gives one resource type. */
export function tagsFor(specs: TagSpecification[], resourceType: string): Tags {
  return Object.assign(
    {},
    ...specs.filter((s) => s.resourceType === resourceType).map((s) => s.tags),
  ) as Tags;
}

/**
 * Refuses specifications for types the operation cannot tag, as EC2 does
 * ("'instance' is not a valid taggable resource type for this operation.").
 */
export function checkTagSpecificationTypes(specs: TagSpecification[], allowed: string[]): void {
  for (const s of specs) {
    if (!allowed.includes(s.resourceType))
      throw new SimError(
        "InvalidParameterValue",
        `'${s.resourceType}' is not a valid taggable resource type for this operation.`,
      );
  }
}

/** EC2 tag rules: at most 50 per resource, keys up to 128, values up to 256, `aws:` reserved. */
export function checkEc2Tags(tags: Tags, opts: { allowAwsPrefix?: boolean } = {}): void {
  const keys = Object.keys(tags);
  if (keys.length > 50)
    throw new SimError(
      "TagLimitExceeded",
      "The maximum number of Tags for a resource (50) has been reached.",
    );
  for (const key of keys) {
    if (key.length === 0 || key.length > 128)
      throw new SimError("InvalidParameterValue", `Tag key exceeds the maximum length of 128 characters`);
    if ((tags[key] ?? "").length > 256)
      throw new SimError("InvalidParameterValue", `Tag value exceeds the maximum length of 256 characters`);
    if (!opts.allowAwsPrefix && key.toLowerCase().startsWith("aws:"))
      throw new SimError(
        "InvalidParameterValue",
        `Value ( ${key} ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use`,
      );
  }
}

/** EC2 response shape: `tagSet` items of `{key, value}`; undefined when empty, as EC2 omits it. */
export function ec2TagSet(tags: Tags): { key: string; value: string }[] | undefined {
  const entries = Object.entries(tags);
  return entries.length ? entries.map(([key, value]) => ({ key, value })) : undefined;
}

/** Query-protocol response shape (Auto Scaling, ELB): `{Key, Value}` members. */
export function queryTagList(tags: Tags): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
