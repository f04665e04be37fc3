// Which S3 operation a request is: path-style `/bucket/key`, the method, and the sub-resource in
// the query string. Sub-resources the sim does not serve are answered NotImplemented.
import type { RestRequest } from "../types.js";

export interface S3Route {
  op: string;
  bucket?: string;
  key?: string;
}

// Query parameters that name a sub-resource (ACLs, tagging, versions…) rather than list options.
const SUBRESOURCES = [
  "acl",
  "tagging",
  "versioning",
  "versions",
  "policy",
  "cors",
  "lifecycle",
  "website",
  "uploads",
  "uploadId",
  "partNumber",
  "notification",
  "replication",
  "encryption",
  "logging",
  "object-lock",
  "retention",
  "legal-hold",
  "accelerate",
  "requestPayment",
  "ownershipControls",
  "publicAccessBlock",
  "attributes",
  "torrent",
  "restore",
  "select",
  "analytics",
  "metrics",
  "inventory",
  "intelligent-tiering",
  "session",
];

export function routeS3(req: RestRequest): S3Route {
  const path = req.path.replace(/^\//, "");
  const slash = path.indexOf("/");
  const bucket = slash < 0 ? path : path.slice(0, slash);
  const key = slash < 0 ? "" : path.slice(slash + 1);
  const q = req.query;
  const sub = SUBRESOURCES.find((s) => q.has(s));
  const m = req.method;
  if (!bucket) return { op: m === "GET" ? "ListBuckets" : "Unsupported" };
  if (!key) {
    if (sub === "policy" || sub === "publicAccessBlock") return { op: bucketSetting(m, sub), bucket };
    if (sub) return { op: "Unsupported", bucket };
    if (m === "PUT") return { op: "CreateBucket", bucket };
    if (m === "HEAD") return { op: "HeadBucket", bucket };
    if (m === "DELETE") return { op: "DeleteBucket", bucket };
    if (m === "POST" && q.has("delete")) return { op: "DeleteObjects", bucket };
    if (m === "GET" && q.has("location")) return { op: "GetBucketLocation", bucket };
    if (m === "GET") return { op: q.get("list-type") === "2" ? "ListObjectsV2" : "ListObjects", bucket };
    return { op: "Unsupported", bucket };
  }
  if (m === "POST" && q.has("uploads")) return { op: "CreateMultipartUpload", bucket, key };
  if (q.has("uploadId") && !req.headers["x-amz-copy-source"]) {
    if (m === "PUT" && q.has("partNumber")) return { op: "UploadPart", bucket, key };
    if (m === "POST") return { op: "CompleteMultipartUpload", bucket, key };
    if (m === "DELETE") return { op: "AbortMultipartUpload", bucket, key };
  }
  if (sub) return { op: "Unsupported", bucket, key };
  if (m === "PUT") return { op: req.headers["x-amz-copy-source"] ? "CopyObject" : "PutObject", bucket, key };
  if (m === "GET") return { op: "GetObject", bucket, key };
  if (m === "HEAD") return { op: "HeadObject", bucket, key };
  if (m === "DELETE") return { op: "DeleteObject", bucket, key };
  return { op: "Unsupported", bucket, key };
}

/** PutBucketPolicy, GetPublicAccessBlock, ... (a policy is "BucketPolicy" in the operation name). */
function bucketSetting(method: string, sub: "policy" | "publicAccessBlock"): string {
  const verb = ({ PUT: "Put", GET: "Get", DELETE: "Delete" } as Record<string, string>)[method];
  return verb ? `${verb}${sub === "policy" ? "BucketPolicy" : "PublicAccessBlock"}` : "Unsupported";
}
