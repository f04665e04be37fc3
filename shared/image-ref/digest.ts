// Digest validation as go-digest does it for the algorithms a registry serves: the algorithm must be
// known and the hex part must have its exact length, in lowercase.
import { digestPattern } from "./grammar.js";

const hexLength: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** Why `digest` is not a usable digest, or undefined when it is. */
export function digestProblem(digest: string): string | undefined {
  if (!digestPattern.test(digest))
    return `invalid digest ${JSON.stringify(digest)}: expected "sha256:" and 64 hex digits`;
  const [algorithm = "", hex = ""] = digest.split(":");
  const length = hexLength[algorithm];
  if (length === undefined)
    return `unsupported digest algorithm ${JSON.stringify(algorithm)}: expected sha256, sha384 or sha512`;
  if (hex.length !== length)
    return `invalid ${algorithm} digest length: expected ${length} hex digits, got ${hex.length}`;
  if (!/^[a-f0-9]+$/.test(hex)) return `invalid ${algorithm} digest: hex digits must be lowercase`;
  return undefined;
}
