// A bucket's policy and its public access block: put, read back and deleted as S3 does, with S3's
// errors for a malformed or missing one. The sim stores them and enforces neither: only the
// caller's identity policies (sim/auth) and the action allow-list decide S3 requests.
import type { Sim } from "../../runtime.js";
import type { RestRequest, RestResponse } from "../types.js";
import { findBucket } from "./buckets.js";
import { S3Error } from "./errors.js";

export function putBucketPolicy(sim: Sim, name: string, req: RestRequest): RestResponse {
  const bucket = findBucket(sim, name);
  const text = req.body.toString("utf8");
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new S3Error("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'", 400);
  }
  const statements = (doc as { Statement?: unknown } | null)?.Statement;
  if (!statements || (Array.isArray(statements) && statements.length === 0))
    throw new S3Error("MalformedPolicy", "Missing required field Statement", 400);
  bucket.policy = text;
  return { status: 204 };
}

export function getBucketPolicy(sim: Sim, name: string): RestResponse {
  const bucket = findBucket(sim, name);
  if (bucket.policy === undefined)
    throw new S3Error("NoSuchBucketPolicy", "The bucket policy does not exist", 404, { BucketName: name });
  return { status: 200, headers: { "content-type": "application/json" }, body: bucket.policy };
}

export function deleteBucketPolicy(sim: Sim, name: string): RestResponse {
  delete findBucket(sim, name).policy;
  return { status: 204 };
}

export function putPublicAccessBlock(sim: Sim, name: string, req: RestRequest): RestResponse {
  const bucket = findBucket(sim, name);
  const text = req.body.toString("utf8");
  if (!/<PublicAccessBlockConfiguration[\s>]/.test(text))
    throw new S3Error(
      "MalformedXML",
      "The XML you provided was not well-formed or did not validate against our published schema",
      400,
    );
  bucket.publicAccessBlock = text;
  return { status: 200 };
}

export function getPublicAccessBlock(sim: Sim, name: string): RestResponse {
  const bucket = findBucket(sim, name);
  if (bucket.publicAccessBlock === undefined)
    throw new S3Error(
      "NoSuchPublicAccessBlockConfiguration",
      "The public access block configuration was not found",
      404,
      { BucketName: name },
    );
  return { status: 200, headers: { "content-type": "application/xml" }, body: bucket.publicAccessBlock };
}

export function deletePublicAccessBlock(sim: Sim, name: string): RestResponse {
  delete findBucket(sim, name).publicAccessBlock;
  return { status: 204 };
}
