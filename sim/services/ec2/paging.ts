// EC2's pagination: `MaxResults` within the operation's bounds, `NextToken` from the previous
// page (bound to the same filters), and EC2's wording for a token it did not issue.
import { SimError } from "../../api/errors.js";
import type { ParamReader } from "../../api/params.js";
import type { Filter } from "../common/filters.js";
import { checkPageSize, paginate, type Page } from "../common/paginate.js";

export function ec2Page<T>(
  params: ParamReader,
  items: T[],
  listing: { op: string; filters?: Filter[]; min?: number; max?: number },
): Page<T> {
  const max = listing.max ?? 1000;
  // EC2 returns at most `max` items for a larger MaxResults rather than refusing it (the AWS CLI
  // sends 1000 by default); only a value below the minimum is an error.
  const asked = params.int("MaxResults");
  const limit = checkPageSize(asked === undefined ? undefined : Math.min(asked, max), {
    min: listing.min ?? 5,
    max,
    param: "maxResults",
  });
  return paginate(items, {
    limit,
    token: params.str("NextToken") || undefined,
    scope: `${listing.op}:${JSON.stringify(listing.filters ?? [])}`,
    invalidToken: (token) =>
      new SimError(
        "InvalidParameterValue",
        `Value ( ${token} ) for parameter NextToken is invalid. The token is invalid.`,
      ),
  });
}

/** EC2 refuses MaxResults together with an explicit id list. */
export function checkIdsWithoutPaging(params: ParamReader, ids: string[], idParam: string): void {
  if (ids.length > 0 && params.str("MaxResults") !== undefined)
    throw new SimError(
      "InvalidParameterCombination",
      `The parameter ${idParam} cannot be used with the parameter maxResults`,
    );
}
