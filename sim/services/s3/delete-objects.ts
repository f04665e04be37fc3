// DeleteObjects (POST ?delete): up to 1000 keys in one request, each reported deleted (unless
// Quiet) whether or not it existed, as S3 does.
import type { Sim } from "../../runtime.js";
import type { RestRequest, RestResponse } from "../types.js";
import { readUpload } from "./body.js";
import { findBucket } from "./buckets.js";
import { S3Error } from "./errors.js";
import { document, el, elementTexts, wrap } from "./xml.js";

export function deleteObjects(sim: Sim, bucketName: string, req: RestRequest): RestResponse {
  const bucket = findBucket(sim, bucketName);
  const xml = readUpload(req).body.toString("utf8");
  const keys = elementTexts(xml, "Object").flatMap((o) => elementTexts(`<o>${o}</o>`, "Key").slice(0, 1));
  if (keys.length === 0 || keys.length > 1000)
    throw new S3Error(
      "MalformedXML",
      "The XML you provided was not well-formed or did not validate against our published schema",
      400,
    );
  const quiet = elementTexts(xml, "Quiet")[0] === "true";
  for (const key of keys) delete bucket.objects[key];
  const body = document("DeleteResult", quiet ? "" : keys.map((k) => wrap("Deleted", el("Key", k))).join(""));
  return { status: 200, headers: { "content-type": "application/xml" }, body };
}
