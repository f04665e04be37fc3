// The release pointer: which snapshot is the current release. Served by the release server as
// JSON at /v1/release and as the plain snapshot id at /snap.txt (docs/spec/release.md#pointer),
// and optionally stored as an S3 object. It only ever names a `completed` snapshot.
//
// The JSON document carries a sequence number that only grows and, when the server has a signing
// key, an Ed25519 signature over the canonical bytes below (pointer-signature.ts signs and checks).
import { z } from "zod";
import { parseJsonAs } from "../json.js";

export const POINTER_JSON_PATH = "/v1/release";
export const POINTER_TEXT_PATH = "/snap.txt";

/** The largest pointer document a reader takes; a real one is a few hundred bytes. */
export const MAX_POINTER_BYTES = 64 * 1024;

export const IMAGE_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** What the server decides and signs. */
export const pointerFieldsSchema = z.object({
  releaseId: z.string().min(1),
  snapshotId: z.string().regex(/^snap-[0-9a-f]+$/),
  treeHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** ISO 8601, when the release was published. */
  time: z.string().min(1),
  /** The image the instances run with this release; the server sets it only when told to. */
  imageDigest: z.string().regex(IMAGE_DIGEST).optional(),
  /** Grows by one with every pointer the server publishes, rollbacks included. */
  sequence: z.number().int().nonnegative().optional(),
  /** An explicit return to an older release. */
  rollback: z.boolean().optional(),
});

export const pointerSchema = pointerFieldsSchema.extend({
  /** Which key signed it (keyIdOf): a hint for people, not trusted. */
  keyId: z.string().optional(),
  /** Base64 Ed25519 signature over signedBytes(). */
  signature: z.string().optional(),
});

export type PointerFields = z.infer<typeof pointerFieldsSchema>;
export type ReleasePointer = z.infer<typeof pointerSchema>;

/** Parses a pointer document; undefined when it is not one. */
export function parsePointer(text: string): ReleasePointer | undefined {
  return parseJsonAs(pointerSchema, text);
}

/** Tells the signed bytes of a pointer apart from anything else the key could ever sign. */
export const SIGNATURE_CONTEXT = "asg-release pointer v1";

/**
 * The bytes that are signed: the context line, then one JSON object with every signed field in
 * this fixed order, absent ones as null (so a field cannot be dropped from a signed pointer).
 */
export function signedBytes(p: PointerFields): Buffer {
  const fields = [
    ["releaseId", p.releaseId],
    ["snapshotId", p.snapshotId],
    ["treeHash", p.treeHash],
    ["imageDigest", p.imageDigest ?? null],
    ["time", p.time],
    ["sequence", p.sequence ?? null],
    ["rollback", p.rollback === true],
  ] as const;
  const body = `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`;
  return Buffer.from(`${SIGNATURE_CONTEXT}\n${body}`, "utf8");
}
