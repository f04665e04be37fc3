// MaxRecords/NextToken paging as Auto Scaling does it: a default and a maximum page size per
// operation, out-of-range sizes refused with the framework's constraint message.
import { SimError } from "../../api/errors.js";
import type { ParamReader } from "../../api/params.js";
import { paginate, type Page } from "../common/paginate.js";
import { checkRange } from "./errors.js";

export function pageOf<T>(
  items: T[],
  params: ParamReader,
  opts: { scope: string; defaultSize: number; maxSize: number },
): Page<T> {
  const size = params.int("MaxRecords");
  checkRange(size, "maxRecords", { min: 1, max: opts.maxSize });
  return paginate(items, {
    limit: size ?? opts.defaultSize,
    token: params.str("NextToken"),
    scope: opts.scope,
    invalidToken: () => new SimError("InvalidNextToken", "The token is invalid."),
  });
}

/** Listings are in code-point order of names and keys, stable for paging ("Name" before "env"). */
export function binaryOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
