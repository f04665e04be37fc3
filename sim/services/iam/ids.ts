// IAM's unique ids: a four-letter prefix by entity kind (AROA role, AIPA instance profile, ANPA
// policy) and 17 upper-case letters and digits.
import { randomBytes } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function iamId(prefix: "AROA" | "AIPA" | "ANPA"): string {
  return prefix + [...randomBytes(17)].map((b) => ALPHABET[b % 32]).join("");
}
