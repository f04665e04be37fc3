// Describe filters as AWS documents them: `Filter.N.Name` / `Filter.N.Value.M`, OR within one
// filter's values, AND across filters, `*`/`?` wildcards (backslash escapes them), and the tag
// filters `tag:KEY`, `tag-key`, `tag-value` on any resource with tags.
import { SimError } from "../../api/errors.js";
import type { ParamReader } from "../../api/params.js";
import type { Tags } from "../../state/types.js";

export interface Filter {
  name: string;
  values: string[];
}

/** A resource field a filter compares against: one value, several (any matches), or none. */
export type FilterField<T> = (item: T) => string | number | boolean | undefined | (string | undefined)[];

export interface FilterTable<T> {
  fields: Record<string, FilterField<T>>;
  /** When given, `tag:KEY`, `tag-key` and `tag-value` filters work on these tags. */
  tags?: (item: T) => Tags;
}

/** Reads EC2-style filters (`Filter.N.Name`, `Filter.N.Value.M`); `name` is the list parameter. */
export function readFilters(params: ParamReader, name = "Filter"): Filter[] {
  return params.objects(name).map((f) => {
    const filterName = f.str("Name");
    if (!filterName) throw new SimError("InvalidParameterValue", "The filter 'null' is invalid");
    return { name: filterName, values: f.strings("Value") };
  });
}

/** Keeps the items matching every filter; an unknown filter name is InvalidParameterValue, as EC2 says. */
export function applyFilters<T>(items: Iterable<T>, filters: Filter[], table: FilterTable<T>): T[] {
  const tests = filters.map((f) => compileFilter(f, table));
  const out: T[] = [];
  for (const item of items) if (tests.every((test) => test(item))) out.push(item);
  return out;
}

function compileFilter<T>(filter: Filter, table: FilterTable<T>): (item: T) => boolean {
  const patterns = filter.values.map(wildcardPattern);
  const anyMatch = (candidates: (string | undefined)[]): boolean =>
    candidates.some((c) => c !== undefined && patterns.some((p) => p.test(c)));
  const tagsOf = table.tags;
  if (tagsOf && filter.name.startsWith("tag:")) {
    const key = filter.name.slice(4);
    return (item) => anyMatch([tagsOf(item)[key]]);
  }
  if (tagsOf && filter.name === "tag-key") return (item) => anyMatch(Object.keys(tagsOf(item)));
  if (tagsOf && filter.name === "tag-value") return (item) => anyMatch(Object.values(tagsOf(item)));
  const field = table.fields[filter.name];
  if (!field) throw new SimError("InvalidParameterValue", `The filter '${filter.name}' is invalid`);
  return (item) => {
    const v = field(item);
    const values = Array.isArray(v) ? v : [v === undefined ? undefined : String(v)];
    return anyMatch(values);
  };
}

/** `*` any run, `?` any one character, `\*` `\?` `\\` literal, as EC2 filter values allow. */
export function wildcardPattern(value: string): RegExp {
  let re = "";
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === "\\" && i + 1 < value.length) re += escapeRegExp(value[++i]!);
    else if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else re += escapeRegExp(c);
  }
  return new RegExp(`^${re}$`);
}

export function wildcardMatch(pattern: string, value: string): boolean {
  return wildcardPattern(pattern).test(value);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
