// The IAM actions an S3 request needs, as a policy names them: several operations share one
// permission (GetObject covers HeadObject; ListBucket covers listings and HeadBucket), and the
// resources each permission is checked on.
import type { AuthRequest } from "../../auth/evaluate.js";
import type { RestRequest } from "../types.js";
import type { S3Route } from "./route.js";

const permissions: Record<string, string[]> = {
  GetObject: ["s3:GetObject"],
  HeadObject: ["s3:GetObject"],
  PutObject: ["s3:PutObject"],
  // A copy reads its source and writes its destination.
  CopyObject: ["s3:PutObject", "s3:GetObject"],
  CreateMultipartUpload: ["s3:PutObject"],
  UploadPart: ["s3:PutObject"],
  CompleteMultipartUpload: ["s3:PutObject"],
  AbortMultipartUpload: ["s3:AbortMultipartUpload"],
  DeleteObject: ["s3:DeleteObject"],
  DeleteObjects: ["s3:DeleteObject"],
  ListObjects: ["s3:ListBucket"],
  ListObjectsV2: ["s3:ListBucket"],
  HeadBucket: ["s3:ListBucket"],
  ListBuckets: ["s3:ListAllMyBuckets"],
  CreateBucket: ["s3:CreateBucket"],
  DeleteBucket: ["s3:DeleteBucket"],
  GetBucketLocation: ["s3:GetBucketLocation"],
  PutPublicAccessBlock: ["s3:PutBucketPublicAccessBlock"],
  GetPublicAccessBlock: ["s3:GetBucketPublicAccessBlock"],
  DeletePublicAccessBlock: ["s3:PutBucketPublicAccessBlock"],
};

/** The IAM actions S3 checks for an operation of route.ts ("HeadObject" -> ["s3:GetObject"]). */
export function s3IamActions(op: string): string[] {
  return permissions[op] ?? [`s3:${op}`];
}

/** Object actions are checked on the object's ARN, bucket actions on the bucket's. */
const objectActions = new Set(["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]);

/**
 * The authorization requests of an S3 operation: each permission on the ARN it applies to (a copy
 * reads its source object, named by x-amz-copy-source); ListAllMyBuckets on "*".
 */
export function s3Requests(route: S3Route, req: RestRequest): AuthRequest[] {
  const bucketArn = `arn:aws:s3:::${route.bucket ?? ""}`;
  const objectArn = `${bucketArn}/${route.key ?? ""}`;
  const source = req.headers["x-amz-copy-source"];
  const sourceArn =
    typeof source === "string"
      ? `arn:aws:s3:::${decodeURIComponent(source.replace(/^\//, "").split("?")[0] ?? "")}`
      : objectArn;
  return s3IamActions(route.op).map((action) => ({
    action,
    resource:
      action === "s3:ListAllMyBuckets"
        ? "*"
        : !objectActions.has(action)
          ? bucketArn
          : route.op === "CopyObject" && action === "s3:GetObject"
            ? sourceArn
            : route.op === "DeleteObjects"
              ? `${bucketArn}/*`
              : objectArn,
    keys: {},
  }));
}
