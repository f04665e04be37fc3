// DescribeAutoScalingGroups: by name, by tag filters (tag:KEY, tag-key, tag-value; exact values),
// sorted by name and paged with MaxRecords/NextToken.
import { validationError } from "../../api/errors.js";
import type { ParamReader } from "../../api/params.js";
import type { AutoScalingGroup } from "../../state/types.js";
import type { OpHandler } from "../types.js";
import { binaryOrder, pageOf } from "./paging.js";
import { groupShape } from "./shapes.js";

type GroupTest = (g: AutoScalingGroup) => boolean;

function readGroupFilters(params: ParamReader): GroupTest[] {
  return params.objects("Filters").map((f) => {
    const name = f.str("Name") ?? "";
    const values = f.strings("Values");
    if (name.startsWith("tag:")) {
      const key = name.slice(4);
      return (g) => g.tags.some((t) => t.key === key && values.includes(t.value));
    }
    if (name === "tag-key") return (g) => g.tags.some((t) => values.includes(t.key));
    if (name === "tag-value") return (g) => g.tags.some((t) => values.includes(t.value));
    throw validationError(
      `Filter type ${name} is not correct. Allowed Filter types are: tag-key tag-value tag:<key>`,
    );
  });
}

export const describeAutoScalingGroups: OpHandler = ({ sim, region, params }) => {
  const names = params.strings("AutoScalingGroupNames");
  const tests = readGroupFilters(params);
  const includeInstances = params.bool("IncludeInstances") ?? true;
  const groups = [...region.autoScalingGroups.values()]
    .filter((g) => names.length === 0 || names.includes(g.autoScalingGroupName))
    .filter((g) => tests.every((t) => t(g)))
    .filter((g) => sim.faults.visible(g.autoScalingGroupName))
    .sort((a, b) => binaryOrder(a.autoScalingGroupName, b.autoScalingGroupName));
  const page = pageOf(groups, params, {
    scope: `DescribeAutoScalingGroups:${names.join(",")}:${JSON.stringify(params.raw.Filters ?? null)}`,
    defaultSize: 50,
    maxSize: 100,
  });
  return {
    AutoScalingGroups: page.items.map((g) =>
      groupShape(region, g, sim.options.accountId, { includeInstances }),
    ),
    NextToken: page.nextToken,
  };
};
