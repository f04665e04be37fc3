// IMDSv2 session tokens: issued by PUT /latest/api/token for a TTL of 1 to 21600 seconds and
// checked on every GET while they last.
import { randomBytes } from "node:crypto";

export const MAX_TOKEN_TTL_SECONDS = 21600;

export class TokenStore {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** undefined when the TTL is missing or out of range (IMDS answers 400). */
  issue(ttlHeader: string | undefined): string | undefined {
    const ttl = Number(ttlHeader);
    if (!ttlHeader || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL_SECONDS) return undefined;
    this.prune();
    const token = randomBytes(42).toString("base64url");
    this.expiries.set(token, this.now() + ttl * 1000);
    return token;
  }

  isValid(token: string): boolean {
    const expiry = this.expiries.get(token);
    return expiry !== undefined && expiry > this.now();
  }

  private prune(): void {
    const t = this.now();
    for (const [token, expiry] of this.expiries) if (expiry <= t) this.expiries.delete(token);
  }
}
