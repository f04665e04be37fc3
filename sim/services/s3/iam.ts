// The IAM actions an S3 request needs, as a policy names them: several operations share one
// permission (GetObject covers HeadObject; ListBucket covers listings and HeadBucket).
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
