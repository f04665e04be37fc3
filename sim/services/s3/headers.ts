// Request header access and the headers an object is served with.
import type { S3Object } from "../../state/types.js";
import type { RestRequest } from "../types.js";
import { checksumHeader, type ChecksumAlgorithm } from "./checksums.js";

export function header(req: RestRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

/** `x-amz-meta-*` request headers, names lower-cased without the prefix, as S3 stores them. */
export function userMetadata(req: RestRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers))
    if (name.startsWith("x-amz-meta-") && value !== undefined)
      out[name.slice("x-amz-meta-".length)] = Array.isArray(value) ? value.join(",") : value;
  return out;
}

/** What an upload's request headers say the object is served with (PutObject, CopyObject with
 *  REPLACE, CreateMultipartUpload). Content-Encoding is left out: PutObject reads it with the body. */
export function requestedAttributes(
  req: RestRequest,
): Pick<S3Object, "contentType" | "metadata" | "cacheControl" | "contentDisposition" | "contentLanguage"> {
  return {
    contentType: header(req, "content-type") ?? "binary/octet-stream",
    metadata: userMetadata(req),
    cacheControl: header(req, "cache-control"),
    contentDisposition: header(req, "content-disposition"),
    contentLanguage: header(req, "content-language"),
  };
}

/** Headers of GetObject/HeadObject; checksums only when asked for and the whole object is served. */
export function objectHeaders(
  req: RestRequest,
  obj: S3Object,
  opts: { withChecksums: boolean },
): Record<string, string> {
  const q = req.query;
  const out: Record<string, string> = {
    "content-type": q.get("response-content-type") ?? obj.contentType,
    etag: obj.etag,
    "last-modified": obj.lastModified.toUTCString(),
    "accept-ranges": "bytes",
    "x-amz-server-side-encryption": "AES256",
  };
  const optional: [string, string | undefined][] = [
    ["content-encoding", q.get("response-content-encoding") ?? obj.contentEncoding],
    ["cache-control", q.get("response-cache-control") ?? obj.cacheControl],
    ["content-disposition", q.get("response-content-disposition") ?? obj.contentDisposition],
    ["content-language", q.get("response-content-language") ?? obj.contentLanguage],
    ["expires", q.get("response-expires") ?? undefined],
  ];
  for (const [name, value] of optional) if (value !== undefined) out[name] = value;
  for (const [name, value] of Object.entries(obj.metadata)) out[`x-amz-meta-${name}`] = value;
  if (opts.withChecksums && Object.keys(obj.checksums ?? {}).length) {
    for (const [algorithm, value] of Object.entries(obj.checksums ?? {}))
      out[checksumHeader(algorithm as ChecksumAlgorithm)] = value;
    out["x-amz-checksum-type"] = "FULL_OBJECT";
  }
  return out;
}
