// The release pointer: which snapshot is the current release. Served by the release server as
// JSON at /v1/release and as the plain snapshot id at /snap.txt (docs/spec/release.md#pointer),
// and optionally stored as an S3 object. It only ever names a `completed` snapshot.
import { z } from "zod";
import { parseJsonAs } from "../json.js";

export const POINTER_JSON_PATH = "/v1/release";
export const POINTER_TEXT_PATH = "/snap.txt";

export const pointerSchema = z.object({
  releaseId: z.string().min(1),
  snapshotId: z.string().regex(/^snap-[0-9a-f]+$/),
  treeHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** ISO 8601, when the pointer was published. */
  time: z.string().min(1),
});

export type ReleasePointer = z.infer<typeof pointerSchema>;

/** Parses a pointer document; undefined when it is not one. */
export function parsePointer(text: string): ReleasePointer | undefined {
  return parseJsonAs(pointerSchema, text);
}
