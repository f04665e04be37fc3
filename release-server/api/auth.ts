// Bearer tokens for the write endpoints: read from a file (never from argv or the environment, where
// `ps` and /proc show them) and compared in constant time.
import { createHash, timingSafeEqual } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { AsgReleaseError } from "#shared/errors.js";

export async function readTokenFile(path: string): Promise<string> {
  let text: string;
  try {
    const st = await stat(path);
    if (st.mode & 0o077) {
      throw new AsgReleaseError(`token file ${path} is readable by others; chmod 600 it`, { exitCode: 2 });
    }
    text = await readFile(path, "utf8");
  } catch (err) {
    if (err instanceof AsgReleaseError) throw err;
    throw new AsgReleaseError(`cannot read the token file ${path}: ${(err as Error).message}`, {
      exitCode: 2,
      cause: err,
    });
  }
  const token = text.trim();
  if (token.length < 16) {
    throw new AsgReleaseError(`token file ${path} holds fewer than 16 characters`, { exitCode: 2 });
  }
  return token;
}

/** True when the Authorization header carries exactly `Bearer <token>`. */
export function isAuthorized(header: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "")?.[1] ?? "";
  // Hashing first gives equal lengths, so neither the content nor the length leaks through timing.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(token).digest();
  return timingSafeEqual(a, b) && given.length > 0;
}
