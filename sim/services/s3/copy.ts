// CopyObject: `x-amz-copy-source: /bucket/key` (URL-encoded), metadata copied or replaced
// (`x-amz-metadata-directive`), the copy-source conditions, and the destination's write conditions.
import type { Sim } from "../../runtime.js";
import type { S3Object } from "../../state/types.js";
import type { RestRequest, RestResponse } from "../types.js";
import { findBucket } from "./buckets.js";
import { checkReadConditions, checkWriteConditions } from "./conditions.js";
import { invalidArgument, noSuchKey, S3Error } from "./errors.js";
import { header, requestedAttributes } from "./headers.js";
import { document, el } from "./xml.js";

export function copyObject(sim: Sim, bucketName: string, key: string, req: RestRequest): RestResponse {
  const source = parseSource(header(req, "x-amz-copy-source") ?? "");
  const srcObj = findBucket(sim, source.bucket).objects[source.key];
  if (!srcObj) throw noSuchKey(source.key);
  checkReadConditions(req, srcObj, "x-amz-copy-source-");
  const bucket = findBucket(sim, bucketName);
  const replace = (header(req, "x-amz-metadata-directive") ?? "COPY").toUpperCase() === "REPLACE";
  if (!replace && source.bucket === bucketName && source.key === key)
    throw new S3Error(
      "InvalidRequest",
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      400,
    );
  checkWriteConditions(req, key, bucket.objects[key]);
  const copy: S3Object = {
    ...srcObj,
    key,
    body: Buffer.from(srcObj.body),
    lastModified: sim.clock.now(),
    ...(replace
      ? {
          ...requestedAttributes(req),
          contentEncoding: header(req, "content-encoding"),
        }
      : {}),
  };
  bucket.objects[key] = copy;
  const body = document("CopyObjectResult", el("LastModified", copy.lastModified) + el("ETag", copy.etag));
  return {
    status: 200,
    headers: { "content-type": "application/xml", "x-amz-server-side-encryption": "AES256" },
    body,
  };
}

function parseSource(raw: string): { bucket: string; key: string } {
  const path = decodeURIComponent(raw.split("?")[0] ?? "").replace(/^\//, "");
  const slash = path.indexOf("/");
  if (slash <= 0 || slash === path.length - 1)
    throw invalidArgument(
      "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
      "x-amz-copy-source",
      raw,
    );
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}
