// Pagination with opaque tokens, as AWS pages describes: the caller gives the page size it read
// (`MaxResults`, `MaxRecords`, `PageSize`) and the token it got back; tokens are bound to the
// listing they came from so a token from another call is refused rather than misread.
import { createHash } from "node:crypto";
import { SimError } from "../../api/errors.js";

export interface PageRequest {
  /** Page size the caller asked for; undefined means everything. */
  limit: number | undefined;
  /** The token from the previous page. */
  token: string | undefined;
  /** A name for the listing (operation + stable arguments) a token must belong to. */
  scope: string;
  /** Error raised for a token this listing did not issue (code and message vary per API). */
  invalidToken?: (token: string) => SimError;
}

export interface Page<T> {
  items: T[];
  /** Set when more items follow. */
  nextToken?: string;
}

/** One page of `items` (in a stable order) and the token for the next. */
export function paginate<T>(items: T[], req: PageRequest): Page<T> {
  const start = req.token === undefined ? 0 : decodeToken(req.token, req);
  const end = req.limit === undefined ? items.length : start + req.limit;
  const page = items.slice(start, end);
  return end < items.length ? { items: page, nextToken: encodeToken(end, req.scope) } : { items: page };
}

/** Checks a page size against an API's bounds, with the error EC2 uses. */
export function checkPageSize(
  value: number | undefined,
  bounds: { min: number; max: number; param: string },
): number | undefined {
  if (value === undefined) return undefined;
  if (value < bounds.min || value > bounds.max)
    throw new SimError(
      "InvalidParameterValue",
      `Value ( ${value} ) for parameter ${bounds.param} is invalid. Expecting a value between ${bounds.min} and ${bounds.max}.`,
    );
  return value;
}

function encodeToken(offset: number, scope: string): string {
  return Buffer.from(JSON.stringify({ o: offset, s: scopeHash(scope) })).toString("base64url");
}

function decodeToken(token: string, req: PageRequest): number {
  const fail = (): SimError =>
    req.invalidToken?.(token) ?? new SimError("InvalidNextToken", `The token '${token}' was invalid`);
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
      o?: unknown;
      s?: unknown;
    };
    if (typeof parsed.o !== "number" || parsed.o < 0 || parsed.s !== scopeHash(req.scope)) throw fail();
    return parsed.o;
  } catch {
    throw fail();
  }
}

function scopeHash(scope: string): string {
  return createHash("sha256").update(scope).digest("hex").slice(0, 12);
}
