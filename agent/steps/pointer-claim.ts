// What a pointer source said, before it is trusted or verified, and the error for an answer that
// says nothing usable: shared by the fetching (pointer.ts) and the trust rules (pointer-trust.ts).
import { AsgReleaseError } from "#shared/errors.js";
import type { ReleasePointer } from "#shared/release/pointer.js";

export interface PointerClaim {
  snapshotId: string;
  releaseId?: string;
  treeHash?: string;
  imageDigest?: string;
  source: string;
  /** The JSON document as read, for its signature and sequence. */
  document?: ReleasePointer;
}

/** A pointer that answered but says nothing usable (or nothing trusted): retrying will not help. */
export const POINTER_INVALID = "PointerInvalid";

export const pointerInvalid = (message: string) => new AsgReleaseError(message, { code: POINTER_INVALID });

export const isRetryable = (err: unknown) =>
  !(err instanceof AsgReleaseError && err.code === POINTER_INVALID);
