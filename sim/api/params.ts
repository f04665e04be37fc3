// Request parameters of the EC2 and AWS Query protocols, parsed from flat form keys into nested
// values: `Filter.1.Value.2` -> {Filter: [{Value: [, "x"]}]}, `Tags.member.1.Key` -> {Tags: [{Key}]}.
import { missingParameter, invalidParameter } from "./errors.js";

export type ParamValue = string | ParamValue[] | { [key: string]: ParamValue };
export type Params = { [key: string]: ParamValue };

const LIST_MARKERS = new Set(["member", "item", "entry"]);

export function parseParams(form: URLSearchParams): Params {
  const root: Params = {};
  for (const [key, value] of form) {
    const parts = key.split(".").filter((p) => !LIST_MARKERS.has(p));
    let node: Params | ParamValue[] = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]!);
      const slot = Array.isArray(node) ? Number(part) - 1 : part;
      const container = node as Record<string | number, ParamValue>;
      if (last) {
        container[slot] = value;
      } else {
        container[slot] ??= nextIsIndex ? [] : {};
        node = container[slot] as Params | ParamValue[];
      }
    }
  }
  return compact(root) as Params;
}

// Lists are 1-based and may have holes if a client skipped an index; drop them.
function compact(v: ParamValue): ParamValue {
  if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(compact);
  if (typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, compact(x)]));
  return v;
}

/** Typed readers over parsed params, raising AWS-style errors. */
export class ParamReader {
  constructor(readonly raw: Params) {}

  str(name: string): string | undefined {
    const v = this.raw[name];
    if (v === undefined) return undefined;
    if (typeof v !== "string") throw invalidParameter(`Invalid value for parameter ${name}`);
    return v;
  }

  req(name: string): string {
    const v = this.str(name);
    if (v === undefined || v === "") throw missingParameter(name);
    return v;
  }

  int(name: string): number | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n))
      throw invalidParameter(`Value (${v}) for parameter ${name} is invalid. Expected an integer.`);
    return n;
  }

  bool(name: string): boolean | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    if (v !== "true" && v !== "false")
      throw invalidParameter(`Value (${v}) for parameter ${name} is invalid. Expected a boolean.`);
    return v === "true";
  }

  strings(name: string): string[] {
    const v = this.raw[name];
    // The query protocol sends an empty list as the bare key (`Names=`).
    if (v === undefined || v === "") return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string"))
      throw invalidParameter(`Invalid list for parameter ${name}`);
    return v as string[];
  }

  objects(name: string): ParamReader[] {
    const v = this.raw[name];
    if (v === undefined || v === "") return [];
    if (!Array.isArray(v)) throw invalidParameter(`Invalid list for parameter ${name}`);
    return v.map((x) => {
      if (typeof x !== "object" || Array.isArray(x))
        throw invalidParameter(`Invalid structure in list ${name}`);
      return new ParamReader(x);
    });
  }

  obj(name: string): ParamReader | undefined {
    const v = this.raw[name];
    if (v === undefined) return undefined;
    if (typeof v !== "object" || Array.isArray(v))
      throw invalidParameter(`Invalid structure for parameter ${name}`);
    return new ParamReader(v);
  }
}
