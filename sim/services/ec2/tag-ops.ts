// CreateTags, DeleteTags and DescribeTags across every taggable EC2 resource.
import { SimError } from "../../api/errors.js";
import { applyFilters, readFilters, type FilterTable } from "../common/filters.js";
import { checkEc2Tags } from "../common/tags.js";
import type { Ec2Op } from "./context.js";
import { ec2Page } from "./paging.js";
import { allTaggables, findTaggable } from "./taggable.js";

export const createTags: Ec2Op = ({ region, params }, ec2) => {
  const ids = params.strings("ResourceId");
  if (ids.length === 0)
    throw new SimError("MissingParameter", "The request must contain the parameter resourceIdSet");
  const tags: Record<string, string> = {};
  for (const t of params.objects("Tag")) tags[t.req("Key")] = t.str("Value") ?? "";
  if (Object.keys(tags).length === 0)
    throw new SimError("MissingParameter", "The request must contain the parameter tagSet");
  checkEc2Tags(tags);
  // All resources are checked before any is tagged: the call succeeds or changes nothing.
  const resources = ids.map((id) => findTaggable(region, id, ec2.accountId));
  for (const r of resources) {
    checkEc2Tags({ ...r.tags, ...tags }, { allowAwsPrefix: true });
    Object.assign(r.tags, tags);
  }
  return { return: true };
};

export const deleteTags: Ec2Op = ({ region, params }, ec2) => {
  const ids = params.strings("ResourceId");
  if (ids.length === 0)
    throw new SimError("MissingParameter", "The request must contain the parameter resourceIdSet");
  const wanted = params.objects("Tag").map((t) => ({ key: t.req("Key"), value: t.str("Value") }));
  for (const w of wanted)
    if (w.key.toLowerCase().startsWith("aws:"))
      throw new SimError(
        "InvalidParameterValue",
        `Value ( ${w.key} ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use`,
      );
  const resources = ids.map((id) => findTaggable(region, id, ec2.accountId));
  for (const r of resources) {
    // Without Tag, every user tag goes; with a Value, only a tag holding that value.
    const doomed = wanted.length
      ? wanted.filter((w) => w.value === undefined || r.tags[w.key] === w.value).map((w) => w.key)
      : Object.keys(r.tags).filter((k) => !k.startsWith("aws:"));
    for (const key of doomed) delete r.tags[key];
  }
  return { return: true };
};

interface TagRow {
  resourceId: string;
  resourceType: string;
  key: string;
  value: string;
}

const TAG_FILTERS: FilterTable<TagRow> = {
  fields: {
    "resource-id": (t) => t.resourceId,
    "resource-type": (t) => t.resourceType,
    key: (t) => t.key,
    value: (t) => t.value,
  },
};

export const describeTags: Ec2Op = ({ region, params }) => {
  const rows: TagRow[] = allTaggables(region).flatMap((r) =>
    Object.entries(r.tags).map(([key, value]) => ({
      resourceId: r.resourceId,
      resourceType: r.resourceType,
      key,
      value,
    })),
  );
  const filters = readFilters(params);
  const page = ec2Page(params, applyFilters(rows, filters, TAG_FILTERS), {
    op: "DescribeTags",
    filters,
    min: 5,
    max: 1000,
  });
  return { tagSet: page.items.map((t) => ({ ...t })), nextToken: page.nextToken };
};
