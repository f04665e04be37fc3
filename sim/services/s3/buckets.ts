// CreateBucket, HeadBucket, DeleteBucket, ListBuckets and GetBucketLocation. Bucket names are
// global; each bucket lives in the region it was created in.
import type { Sim } from "../../runtime.js";
import type { Bucket } from "../../state/types.js";
import type { RestRequest, RestResponse } from "../types.js";
import { noSuchBucket, S3Error } from "./errors.js";
import { canonicalId, document, el, elementTexts, wrap } from "./xml.js";

export function findBucket(sim: Sim, name: string): Bucket {
  const bucket = sim.state.buckets.get(name);
  if (!bucket) throw noSuchBucket(name);
  return bucket;
}

// Bucket naming rules: 3-63 characters, lower-case letters, digits, dots and hyphens, starting and
// ending with a letter or digit, not shaped like an IP address.
function checkName(name: string): void {
  const ok =
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes("..") &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name);
  if (!ok)
    throw new S3Error("InvalidBucketName", "The specified bucket is not valid.", 400, { BucketName: name });
}

export function createBucket(sim: Sim, region: string, name: string, req: RestRequest): RestResponse {
  checkName(name);
  const constraint = elementTexts(req.body.toString("utf8"), "LocationConstraint")[0];
  if (constraint === "us-east-1")
    throw new S3Error("InvalidLocationConstraint", "The specified location-constraint is not valid", 400, {
      LocationConstraint: constraint,
    });
  const wanted = constraint || "us-east-1";
  if (wanted !== region)
    throw new S3Error(
      "IllegalLocationConstraintException",
      constraint
        ? `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`
        : "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.",
      400,
    );
  const existing = sim.state.buckets.get(name);
  if (existing) {
    // For legacy compatibility us-east-1 answers 200 to re-creating a bucket you own; other regions refuse.
    if (existing.region === "us-east-1" && region === "us-east-1")
      return { status: 200, headers: { location: `/${name}` } };
    throw new S3Error(
      "BucketAlreadyOwnedByYou",
      "Your previous request to create the named bucket succeeded and you already own it.",
      409,
      { BucketName: name },
    );
  }
  sim.state.buckets.set(name, { name, region: wanted, creationDate: sim.clock.now(), objects: {} });
  return { status: 200, headers: { location: `/${name}` } };
}

export function headBucket(sim: Sim, name: string): RestResponse {
  const bucket = findBucket(sim, name);
  return {
    status: 200,
    headers: { "x-amz-bucket-region": bucket.region, "x-amz-access-point-alias": "false" },
  };
}

export function deleteBucket(sim: Sim, name: string): RestResponse {
  const bucket = findBucket(sim, name);
  if (Object.keys(bucket.objects).length)
    throw new S3Error("BucketNotEmpty", "The bucket you tried to delete is not empty", 409, {
      BucketName: name,
    });
  sim.state.buckets.delete(name);
  return { status: 204 };
}

export function getBucketLocation(sim: Sim, name: string): RestResponse {
  const bucket = findBucket(sim, name);
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${bucket.region === "us-east-1" ? "" : bucket.region}</LocationConstraint>`;
  return { status: 200, headers: { "content-type": "application/xml" }, body };
}

/** ListBuckets with its `prefix`, `bucket-region`, `max-buckets` and `continuation-token`. */
export function listBuckets(sim: Sim, req: RestRequest): RestResponse {
  const prefix = req.query.get("prefix") ?? "";
  const regionFilter = req.query.get("bucket-region");
  const max = Number(req.query.get("max-buckets") ?? 10000);
  const after = req.query.get("continuation-token");
  const all = [...sim.state.buckets.values()]
    .filter((b) => b.name.startsWith(prefix) && (!regionFilter || b.region === regionFilter))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const start = after ? all.findIndex((b) => b.name > Buffer.from(after, "base64url").toString("utf8")) : 0;
  const rest = start < 0 ? [] : all.slice(start);
  const page = rest.slice(0, max);
  const last = page[page.length - 1];
  const token = rest.length > page.length && last ? Buffer.from(last.name).toString("base64url") : undefined;
  const owner = wrap("Owner", el("ID", canonicalId(sim.state.accountId)));
  const buckets = page
    .map((b) =>
      wrap("Bucket", el("Name", b.name) + el("CreationDate", b.creationDate) + el("BucketRegion", b.region)),
    )
    .join("");
  const body = document(
    "ListAllMyBucketsResult",
    owner + wrap("Buckets", buckets) + el("ContinuationToken", token) + (prefix ? el("Prefix", prefix) : ""),
  );
  return { status: 200, headers: { "content-type": "application/xml" }, body };
}
