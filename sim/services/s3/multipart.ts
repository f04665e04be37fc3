// Multipart uploads (what `aws s3 cp` and SDK upload helpers use above 8 MiB): create, upload
// parts, complete (parts in ascending order, ETags matching, every part but the last at least
// 5 MiB) and abort. The object's ETag is the MD5 of the parts' MD5s with the part count, as S3's.
// Uploads in progress are kept per sim outside the state dump: their parts are bulk bytes.
import { createHash, randomBytes } from "node:crypto";
import type { Sim } from "../../runtime.js";
import type { S3Object } from "../../state/types.js";
import type { RestRequest, RestResponse } from "../types.js";
import { readUpload } from "./body.js";
import { checksumHeader, type ChecksumAlgorithm } from "./checksums.js";
import { findBucket } from "./buckets.js";
import { checkWriteConditions } from "./conditions.js";
import { invalidArgument, S3Error } from "./errors.js";
import { header, requestedAttributes } from "./headers.js";
import { document, el, elementTexts } from "./xml.js";

interface Upload {
  bucket: string;
  key: string;
  template: Omit<S3Object, "body" | "etag" | "lastModified">;
  parts: Map<number, { body: Buffer; etag: string }>;
}

const MIN_PART = 5 * 1024 * 1024;
const uploadsBySim = new WeakMap<Sim, Map<string, Upload>>();

function uploads(sim: Sim): Map<string, Upload> {
  let map = uploadsBySim.get(sim);
  if (!map) uploadsBySim.set(sim, (map = new Map()));
  return map;
}

function findUpload(sim: Sim, bucket: string, key: string, req: RestRequest): [string, Upload] {
  const id = req.query.get("uploadId") ?? "";
  const upload = uploads(sim).get(id);
  if (!upload || upload.bucket !== bucket || upload.key !== key)
    throw new S3Error(
      "NoSuchUpload",
      "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
      404,
      { UploadId: id },
    );
  return [id, upload];
}

export function createMultipartUpload(sim: Sim, bucket: string, key: string, req: RestRequest): RestResponse {
  findBucket(sim, bucket);
  const id = randomBytes(48).toString("base64url");
  uploads(sim).set(id, {
    bucket,
    key,
    template: {
      key,
      ...requestedAttributes(req),
      contentEncoding: header(req, "content-encoding"),
    },
    parts: new Map(),
  });
  const body = document(
    "InitiateMultipartUploadResult",
    el("Bucket", bucket) + el("Key", key) + el("UploadId", id),
  );
  return { status: 200, headers: { "content-type": "application/xml" }, body };
}

export function uploadPart(sim: Sim, bucket: string, key: string, req: RestRequest): RestResponse {
  const [, upload] = findUpload(sim, bucket, key, req);
  const raw = req.query.get("partNumber") ?? "";
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 10000)
    throw invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", raw);
  const { body, checksums } = readUpload(req);
  const etag = `"${createHash("md5").update(body).digest("hex")}"`;
  upload.parts.set(n, { body, etag });
  const echo = Object.fromEntries(
    Object.entries(checksums).map(([a, v]) => [checksumHeader(a as ChecksumAlgorithm), v]),
  );
  return { status: 200, headers: { etag, "x-amz-server-side-encryption": "AES256", ...echo } };
}

export function completeMultipartUpload(
  sim: Sim,
  bucket: string,
  key: string,
  req: RestRequest,
): RestResponse {
  const [id, upload] = findUpload(sim, bucket, key, req);
  const xml = req.body.toString("utf8");
  const listed = elementTexts(xml, "Part").map((p) => ({
    number: Number(elementTexts(`<p>${p}</p>`, "PartNumber")[0]),
    etag: elementTexts(`<p>${p}</p>`, "ETag")[0] ?? "",
  }));
  if (listed.length === 0)
    throw new S3Error(
      "MalformedXML",
      "The XML you provided was not well-formed or did not validate against our published schema",
      400,
    );
  // The list is checked as a whole first (order), then each part (present, ETag, size).
  if (listed.some((p, i) => i > 0 && p.number <= (listed[i - 1]?.number ?? 0)))
    throw new S3Error(
      "InvalidPartOrder",
      "The list of parts was not in ascending order. Parts must be ordered by part number.",
      400,
    );
  const chosen = listed.map((p, i) => {
    const part = upload.parts.get(p.number);
    if (!part || part.etag.replace(/"/g, "") !== p.etag.replace(/"/g, ""))
      throw new S3Error(
        "InvalidPart",
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not have matched the part's entity tag.",
        400,
      );
    if (i < listed.length - 1 && part.body.length < MIN_PART)
      throw new S3Error(
        "EntityTooSmall",
        "Your proposed upload is smaller than the minimum allowed object size.",
        400,
      );
    return part;
  });
  const target = findBucket(sim, bucket);
  checkWriteConditions(req, key, target.objects[key]);
  const md5s = Buffer.concat(chosen.map((p) => Buffer.from(p.etag.replace(/"/g, ""), "hex")));
  const obj: S3Object = {
    ...upload.template,
    body: Buffer.concat(chosen.map((p) => p.body)),
    etag: `"${createHash("md5").update(md5s).digest("hex")}-${chosen.length}"`,
    lastModified: sim.clock.now(),
  };
  target.objects[key] = obj;
  uploads(sim).delete(id);
  const body = document(
    "CompleteMultipartUploadResult",
    el("Location", `/${bucket}/${key}`) + el("Bucket", bucket) + el("Key", key) + el("ETag", obj.etag),
  );
  return {
    status: 200,
    headers: { "content-type": "application/xml", "x-amz-server-side-encryption": "AES256" },
    body,
  };
}

export function abortMultipartUpload(sim: Sim, bucket: string, key: string, req: RestRequest): RestResponse {
  const [id] = findUpload(sim, bucket, key, req);
  uploads(sim).delete(id);
  return { status: 204 };
}
