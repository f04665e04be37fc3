// The pointer signing key on the release host: `init` creates it (never over an existing one), the
// daemon loads it. The private key is PKCS#8 PEM, mode 600; its public half sits next to it as
// FILE.pub (PEM), and its one-line base64 form is what agents are configured with.
import { createPublicKey, type KeyObject } from "node:crypto";
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { AsgReleaseError } from "#shared/errors.js";
import {
  generateSigningKeyPair,
  keyIdOf,
  privateKeyFrom,
  rawPublicKey,
} from "#shared/release/pointer-signature.js";

export interface SigningKeyInfo {
  file: string;
  created: boolean;
  /** Base64 of the 32 raw public key bytes: agent.yaml's pointer.public_key. */
  publicKey: string;
  keyId: string;
}

/** Creates the key pair unless the file exists; either way says which public key agents need. */
export async function ensureSigningKey(file: string): Promise<SigningKeyInfo> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const pair = generateSigningKeyPair();
  let created = true;
  try {
    // "wx": an existing key (agents trust it already) is never replaced.
    await writeFile(file, pair.privatePem, { flag: "wx", mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    created = false;
  }
  const key = await readSigningKey(file);
  const publicPem = createPublicKey(key).export({ format: "pem", type: "spki" });
  await writeFile(`${file}.pub`, publicPem.toString(), { mode: 0o644 });
  await chmod(`${file}.pub`, 0o644);
  return { file, created, publicKey: rawPublicKey(key), keyId: keyIdOf(key) };
}

/** The private key; a key readable by others is refused, as ssh refuses such a key. */
export async function readSigningKey(file: string): Promise<KeyObject> {
  const st = await stat(file);
  if ((st.mode & 0o077) !== 0) {
    throw new AsgReleaseError(
      `the pointer signing key ${file} is readable by others (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it`,
      { code: "BadSigningKey", exitCode: 2 },
    );
  }
  return privateKeyFrom(await readFile(file, "utf8"), `the pointer signing key ${file}`);
}

/**
 * The daemon's key: the file server.yaml names (which must exist), or the default one if init made
 * it; undefined (pointers unsigned) only when neither is there.
 */
export async function loadSigningKey(s: {
  file: string;
  configured: boolean;
}): Promise<KeyObject | undefined> {
  try {
    return await readSigningKey(s.file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" && !s.configured) return undefined;
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new AsgReleaseError(
        `signing_key ${s.file} does not exist; \`asg-release-server init\` creates it`,
        { code: "BadSigningKey", exitCode: 2 },
      );
    }
    throw err;
  }
}
