// `Marker`/`PageSize` paging of the ELB describes (classic and v2): PageSize 1-400, the next
// page's opaque marker in `NextMarker`.
import { SimError } from "../../api/errors.js";
import type { ParamReader } from "../../api/params.js";
import { paginate, type Page } from "../common/paginate.js";

export function pageOf<T>(params: ParamReader, items: T[], scope: string): Page<T> {
  const size = params.int("PageSize");
  if (size !== undefined && (size < 1 || size > 400))
    throw new SimError(
      "ValidationError",
      `1 validation error detected: Value '${size}' at 'pageSize' failed to satisfy constraint: Member must have value ${size < 1 ? "greater than or equal to 1" : "less than or equal to 400"}`,
    );
  return paginate(items, {
    limit: size,
    token: params.str("Marker"),
    scope,
    invalidToken: () => new SimError("ValidationError", "The specified marker is not valid"),
  });
}
