// AWS-shaped resource ids: a prefix and 17 hex digits, as EC2 issues them.
import { randomBytes } from "node:crypto";

export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(9).toString("hex").slice(0, 17)}`;
}

export function newRequestId(): string {
  const h = randomBytes(16).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
