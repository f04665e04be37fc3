// S3 of the local region (REST-XML, path-style addressing): buckets and objects, with call
// counting, authorization (IAM policies or the allow-list) and injected faults applied as for the query services.
import { setTimeout as sleep } from "node:timers/promises";
import { SimError } from "../../api/errors.js";
import { escapeXml } from "../../api/xml.js";
import type { Sim } from "../../runtime.js";
import type { RestHandler, RestRequest, RestResponse } from "../types.js";
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from "./buckets.js";
import {
  deleteBucketPolicy,
  deletePublicAccessBlock,
  getBucketPolicy,
  getPublicAccessBlock,
  putBucketPolicy,
  putPublicAccessBlock,
} from "./bucket-settings.js";
import { copyObject } from "./copy.js";
import { deleteObjects } from "./delete-objects.js";
import { S3Error, notImplemented } from "./errors.js";
import { s3IamActions, s3Requests } from "./iam.js";
import { accessKeyOf, authorize } from "../../auth/authorize.js";
import { listObjectsV1, listObjectsV2 } from "./list.js";
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  uploadPart,
} from "./multipart.js";
import { deleteObject, getObject, putObject } from "./objects.js";
import { routeS3, type S3Route } from "./route.js";

export const s3Handler: RestHandler = async (sim, region, req) => {
  const route = routeS3(req);
  const op = `s3:${route.op}`;
  sim.faults.count(op);
  try {
    await applyFaults(sim, op, route, req);
    return serve(sim, region, req, route);
  } catch (err) {
    return errorResponse(sim, op, req, route, err);
  }
};

function serve(sim: Sim, region: string, req: RestRequest, r: S3Route): RestResponse {
  const bucket = r.bucket ?? "";
  const key = r.key ?? "";
  switch (r.op) {
    case "ListBuckets":
      return listBuckets(sim, req);
    case "CreateBucket":
      return createBucket(sim, region, bucket, req);
    case "HeadBucket":
      return headBucket(sim, bucket);
    case "DeleteBucket":
      return deleteBucket(sim, bucket);
    case "GetBucketLocation":
      return getBucketLocation(sim, bucket);
    case "PutBucketPolicy":
      return putBucketPolicy(sim, bucket, req);
    case "GetBucketPolicy":
      return getBucketPolicy(sim, bucket);
    case "DeleteBucketPolicy":
      return deleteBucketPolicy(sim, bucket);
    case "PutPublicAccessBlock":
      return putPublicAccessBlock(sim, bucket, req);
    case "GetPublicAccessBlock":
      return getPublicAccessBlock(sim, bucket);
    case "DeletePublicAccessBlock":
      return deletePublicAccessBlock(sim, bucket);
    case "ListObjectsV2":
      return listObjectsV2(sim, bucket, req);
    case "ListObjects":
      return listObjectsV1(sim, bucket, req);
    case "DeleteObjects":
      return deleteObjects(sim, bucket, req);
    case "PutObject":
      return putObject(sim, bucket, key, req);
    case "CopyObject":
      return copyObject(sim, bucket, key, req);
    case "GetObject":
      return getObject(sim, bucket, key, req);
    case "HeadObject":
      return getObject(sim, bucket, key, req, true);
    case "DeleteObject":
      return deleteObject(sim, bucket, key, req);
    case "CreateMultipartUpload":
      return createMultipartUpload(sim, bucket, key, req);
    case "UploadPart":
      return uploadPart(sim, bucket, key, req);
    case "CompleteMultipartUpload":
      return completeMultipartUpload(sim, bucket, key, req);
    case "AbortMultipartUpload":
      return abortMultipartUpload(sim, bucket, key, req);
    default:
      throw notImplemented([...req.query.keys()].join(",") || req.method);
  }
}

async function applyFaults(sim: Sim, op: string, route: S3Route, req: RestRequest): Promise<void> {
  const actions = s3IamActions(route.op);
  if (authorize(sim, accessKeyOf(req.headers, req.query), actions, () => s3Requests(route, req)))
    throw new S3Error("AccessDenied", "Access Denied", 403);
  const latency = sim.faults.latency(op);
  if (latency > 0) await sleep(latency);
  const fault = sim.faults.decide(op);
  if (fault.kind === "throttle" || (fault.kind === "fail" && !fault.code))
    throw new S3Error("SlowDown", "Please reduce your request rate.", 503);
  if (fault.kind === "error")
    throw new S3Error("InternalError", "We encountered an internal error. Please try again.", 500);
  if (fault.kind === "fail")
    throw new S3Error(fault.code ?? "InternalError", `Injected failure of ${op}`, 400);
}

function errorResponse(sim: Sim, op: string, req: RestRequest, route: S3Route, err: unknown): RestResponse {
  if (!(err instanceof SimError)) {
    sim.recordError(op, err);
    err = new S3Error("InternalError", "We encountered an internal error. Please try again.", 500);
  }
  const e = err as SimError;
  // 304 Not Modified carries no body, as HTTP requires.
  if (e.status === 304) return { status: 304 };
  const resource = `/${[route.bucket, route.key].filter(Boolean).join("/")}`;
  const extra = e instanceof S3Error ? e.extra : {};
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(e.code)}</Code><Message>${escapeXml(e.message)}</Message>` +
    Object.entries(extra)
      .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
      .join("") +
    `<Resource>${escapeXml(resource)}</Resource><RequestId>${req.requestId}</RequestId></Error>`;
  return { status: e.status, headers: { "content-type": "application/xml" }, body };
}
