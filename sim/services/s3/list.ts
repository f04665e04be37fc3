// ListObjectsV2 (and the original ListObjects): keys in UTF-8 binary order, `prefix`, `delimiter`
// rolling keys up into CommonPrefixes (each counting once against max-keys), `start-after`,
// opaque continuation tokens, and `encoding-type=url` for keys the XML cannot carry as is.
import type { Sim } from "../../runtime.js";
import type { Bucket, S3Object } from "../../state/types.js";
import type { RestRequest, RestResponse } from "../types.js";
import { findBucket } from "./buckets.js";
import { invalidArgument } from "./errors.js";
import { canonicalId, document, el, wrap } from "./xml.js";

interface Listing {
  contents: S3Object[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned: where the next page starts. */
  last?: string;
}

function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** `after`: the start-after key, or (`fromToken`) the last key or common prefix of the previous page. */
function list(
  bucket: Bucket,
  opts: { prefix: string; delimiter: string; after: string; fromToken: boolean; max: number },
): Listing {
  const { prefix, delimiter, after, max } = opts;
  const keys = Object.keys(bucket.objects)
    .filter((k) => k.startsWith(prefix) && compareUtf8(k, after) > 0)
    .sort(compareUtf8);
  const out: Listing = { contents: [], prefixes: [], truncated: false };
  if (max === 0) return out;
  for (const key of keys) {
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const common = cut >= 0 ? key.slice(0, cut + delimiter.length) : undefined;
    // Keys under a common prefix already returned (on this page or the previous one) are rolled into it.
    if (common !== undefined && (common === out.last || (opts.fromToken && after.startsWith(common))))
      continue;
    if (out.contents.length + out.prefixes.length >= max) {
      out.truncated = true;
      break;
    }
    if (common !== undefined) out.prefixes.push(common);
    else out.contents.push(bucket.objects[key] as S3Object);
    out.last = common ?? key;
  }
  return out;
}

function maxKeys(req: RestRequest): number {
  const raw = req.query.get("max-keys");
  if (raw === null) return 1000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw invalidArgument("Provided max-keys not an integer or within integer range", "max-keys", raw);
  return Math.min(n, 1000);
}

function encoder(req: RestRequest): (s: string) => string {
  if (req.query.get("encoding-type") === "url") return (s) => encodeURIComponent(s).replace(/%2F/g, "/");
  return (s) => s;
}

function objectXml(sim: Sim, o: S3Object, encode: (s: string) => string, owner: boolean): string {
  const algorithm = Object.keys(o.checksums ?? {})[0];
  return wrap(
    "Contents",
    el("Key", encode(o.key)) +
      el("LastModified", o.lastModified) +
      el("ETag", o.etag) +
      (algorithm ? el("ChecksumAlgorithm", algorithm) + el("ChecksumType", "FULL_OBJECT") : "") +
      el("Size", o.body.length) +
      (owner ? wrap("Owner", el("ID", canonicalId(sim.state.accountId))) : "") +
      el("StorageClass", "STANDARD"),
  );
}

export function listObjectsV2(sim: Sim, bucketName: string, req: RestRequest): RestResponse {
  const bucket = findBucket(sim, bucketName);
  const q = req.query;
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const token = q.get("continuation-token");
  const startAfter = q.get("start-after") ?? "";
  const resume = token !== null ? decodeToken(token) : startAfter;
  const max = maxKeys(req);
  const page = list(bucket, { prefix, delimiter, after: resume, fromToken: token !== null, max });
  const encode = encoder(req);
  const next =
    page.truncated && page.last !== undefined
      ? Buffer.from(page.last, "utf8").toString("base64url")
      : undefined;
  const body = document(
    "ListBucketResult",
    el("Name", bucket.name) +
      el("Prefix", encode(prefix)) +
      (delimiter ? el("Delimiter", encode(delimiter)) : "") +
      el("MaxKeys", max) +
      (q.get("encoding-type") ? el("EncodingType", q.get("encoding-type") ?? "") : "") +
      el("KeyCount", page.contents.length + page.prefixes.length) +
      el("IsTruncated", page.truncated) +
      (token !== null ? el("ContinuationToken", token) : "") +
      el("NextContinuationToken", next) +
      (startAfter ? el("StartAfter", encode(startAfter)) : "") +
      page.contents.map((o) => objectXml(sim, o, encode, q.get("fetch-owner") === "true")).join("") +
      page.prefixes.map((p) => wrap("CommonPrefixes", el("Prefix", encode(p)))).join(""),
  );
  return { status: 200, headers: { "content-type": "application/xml" }, body };
}

export function listObjectsV1(sim: Sim, bucketName: string, req: RestRequest): RestResponse {
  const bucket = findBucket(sim, bucketName);
  const q = req.query;
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const marker = q.get("marker") ?? "";
  const max = maxKeys(req);
  const page = list(bucket, { prefix, delimiter, after: marker, fromToken: true, max });
  const encode = encoder(req);
  const body = document(
    "ListBucketResult",
    el("Name", bucket.name) +
      el("Prefix", encode(prefix)) +
      el("Marker", encode(marker)) +
      (page.truncated && delimiter && page.last !== undefined ? el("NextMarker", encode(page.last)) : "") +
      el("MaxKeys", max) +
      (delimiter ? el("Delimiter", encode(delimiter)) : "") +
      (q.get("encoding-type") ? el("EncodingType", q.get("encoding-type") ?? "") : "") +
      el("IsTruncated", page.truncated) +
      page.contents.map((o) => objectXml(sim, o, encode, true)).join("") +
      page.prefixes.map((p) => wrap("CommonPrefixes", el("Prefix", encode(p)))).join(""),
  );
  return { status: 200, headers: { "content-type": "application/xml" }, body };
}

function decodeToken(token: string): string {
  const key = Buffer.from(token, "base64url").toString("utf8");
  if (!key || Buffer.from(key, "utf8").toString("base64url") !== token)
    throw invalidArgument("The continuation token provided is incorrect", "continuation-token", token);
  return key;
}
