// Conditional requests. Reads (GetObject, HeadObject) follow RFC 7232 as S3 does: If-Match and
// If-Unmodified-Since fail with 412, If-None-Match and If-Modified-Since answer 304. Writes
// (PutObject, DeleteObject) take If-None-Match: * (create only) and If-Match: "<etag>" (replace
// only that version); a missing key answers If-Match with 404, as S3's conditional writes do.
import type { S3Object } from "../../state/types.js";
import type { RestRequest } from "../types.js";
import { noSuchKey, notImplemented, preconditionFailed, S3Error } from "./errors.js";
import { header } from "./headers.js";

const bare = (etag: string): string => etag.trim().replace(/^W\//, "").replace(/^"|"$/g, "");

function matches(list: string, etag: string): boolean {
  return list.split(",").some((e) => e.trim() === "*" || bare(e) === bare(etag));
}

/** Throws 412 or answers 304 (as an S3Error with status 304) for a read of `obj`. */
export function checkReadConditions(req: RestRequest, obj: S3Object, prefix = ""): void {
  const ifMatch = header(req, `${prefix}if-match`);
  const ifNoneMatch = header(req, `${prefix}if-none-match`);
  const ifModifiedSince = date(header(req, `${prefix}if-modified-since`));
  const ifUnmodifiedSince = date(header(req, `${prefix}if-unmodified-since`));
  const modified = Math.floor(obj.lastModified.getTime() / 1000) * 1000;
  if (ifMatch !== undefined && !matches(ifMatch, obj.etag)) throw preconditionFailed("If-Match");
  if (ifMatch === undefined && ifUnmodifiedSince !== undefined && modified > ifUnmodifiedSince)
    throw preconditionFailed("If-Unmodified-Since");
  if (ifNoneMatch !== undefined && matches(ifNoneMatch, obj.etag)) throw notModified(prefix);
  if (ifNoneMatch === undefined && ifModifiedSince !== undefined && modified <= ifModifiedSince)
    throw notModified(prefix);
}

// A copy source failing If-None-Match/If-Modified-Since is a 412, not a 304.
function notModified(prefix: string): S3Error {
  return prefix
    ? preconditionFailed(`${prefix}if-none-match`)
    : new S3Error("NotModified", "Not Modified", 304);
}

/** Conditional write or delete of `key`, whose current object is `current`. */
export function checkWriteConditions(req: RestRequest, key: string, current: S3Object | undefined): void {
  const ifNoneMatch = header(req, "if-none-match");
  const ifMatch = header(req, "if-match");
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== "*") throw notImplemented("If-None-Match");
    if (current) throw preconditionFailed("If-None-Match");
  }
  if (ifMatch !== undefined) {
    if (!current) throw noSuchKey(key);
    if (!matches(ifMatch, current.etag)) throw preconditionFailed("If-Match");
  }
}

function date(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}
