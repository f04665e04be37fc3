// PutObject, GetObject, HeadObject and DeleteObject. A conditional write checks and stores in one
// synchronous step (the body is read before the handler runs), so of two writes racing with the
// same If-Match ETag exactly one succeeds, as S3 guarantees.
import { createHash } from "node:crypto";
import type { Sim } from "../../runtime.js";
import type { S3Object } from "../../state/types.js";
import type { RestRequest, RestResponse } from "../types.js";
import { readUpload } from "./body.js";
import { findBucket } from "./buckets.js";
import { checksumHeader, type ChecksumAlgorithm } from "./checksums.js";
import { checkReadConditions, checkWriteConditions } from "./conditions.js";
import { noSuchKey } from "./errors.js";
import { header, objectHeaders, requestedAttributes } from "./headers.js";
import { parseRange } from "./range.js";

export function putObject(sim: Sim, bucketName: string, key: string, req: RestRequest): RestResponse {
  const bucket = findBucket(sim, bucketName);
  const upload = readUpload(req);
  checkWriteConditions(req, key, bucket.objects[key]);
  const obj: S3Object = {
    key,
    body: upload.body,
    etag: `"${createHash("md5").update(upload.body).digest("hex")}"`,
    lastModified: sim.clock.now(),
    ...requestedAttributes(req),
    checksums: upload.checksums,
    contentEncoding: upload.contentEncoding,
  };
  bucket.objects[key] = obj;
  return {
    status: 200,
    headers: { etag: obj.etag, "x-amz-server-side-encryption": "AES256", ...checksumHeaders(obj) },
  };
}

export function getObject(
  sim: Sim,
  bucketName: string,
  key: string,
  req: RestRequest,
  head = false,
): RestResponse {
  const obj = findBucket(sim, bucketName).objects[key];
  if (!obj) throw noSuchKey(key);
  checkReadConditions(req, obj);
  const range = parseRange(header(req, "range"), obj.body.length);
  const checksumMode = header(req, "x-amz-checksum-mode")?.toUpperCase() === "ENABLED";
  const headers = objectHeaders(req, obj, { withChecksums: checksumMode && !range });
  if (!range) {
    headers["content-length"] = String(obj.body.length);
    return { status: 200, headers, body: head ? undefined : obj.body };
  }
  const body = obj.body.subarray(range.start, range.end + 1);
  headers["content-length"] = String(body.length);
  headers["content-range"] = `bytes ${range.start}-${range.end}/${obj.body.length}`;
  return { status: 206, headers, body: head ? undefined : body };
}

// Deleting a key that is not there succeeds (204); a conditional delete checks the current ETag.
export function deleteObject(sim: Sim, bucketName: string, key: string, req: RestRequest): RestResponse {
  const bucket = findBucket(sim, bucketName);
  checkWriteConditions(req, key, bucket.objects[key]);
  delete bucket.objects[key];
  return { status: 204 };
}

export function checksumHeaders(obj: S3Object): Record<string, string> {
  const entries = Object.entries(obj.checksums ?? {});
  if (entries.length === 0) return {};
  return {
    ...Object.fromEntries(entries.map(([a, v]) => [checksumHeader(a as ChecksumAlgorithm), v])),
    "x-amz-checksum-type": "FULL_OBJECT",
  };
}
