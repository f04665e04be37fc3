// Ed25519 signatures of the release pointer (node:crypto): the server signs every pointer it
// serves, the agent accepts only what its configured public key verifies. Public keys are written
// and read as PEM (SPKI) or as the base64 of the 32 raw bytes, which fits on one YAML line.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from "node:crypto";
import type { KeyObject } from "node:crypto";
import { AsgReleaseError } from "../errors.js";
import { signedBytes, type PointerFields, type ReleasePointer } from "./pointer.js";

export interface SigningKeyPair {
  /** PKCS#8 PEM: the private key file's content. */
  privatePem: string;
  /** SPKI PEM. */
  publicPem: string;
  /** The 32 raw public key bytes in base64: the agent's `pointer.public_key`. */
  publicRaw: string;
}

export function generateSigningKeyPair(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privatePem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    publicPem: publicKey.export({ format: "pem", type: "spki" }).toString(),
    publicRaw: rawPublicKey(publicKey),
  };
}

const badKey = (what: string, why: string) =>
  new AsgReleaseError(`${what} is not an Ed25519 key: ${why}`, { code: "BadSigningKey" });

/** The private key of a PEM file's text. */
export function privateKeyFrom(pem: string, what = "the pointer signing key"): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw badKey(what, (err as Error).message);
  }
  if (key.asymmetricKeyType !== "ed25519") throw badKey(what, `it is ${key.asymmetricKeyType ?? "unknown"}`);
  return key;
}

/** A public key given as PEM (SPKI) or as base64 of its 32 raw bytes. */
export function publicKeyFrom(text: string, what = "pointer.public_key"): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  if (trimmed.startsWith("-----BEGIN")) {
    try {
      key = createPublicKey(trimmed);
    } catch (err) {
      throw badKey(what, (err as Error).message);
    }
  } else {
    const raw = Buffer.from(trimmed, "base64");
    if (raw.length !== 32 || raw.toString("base64") !== trimmed)
      throw badKey(what, "expected PEM or the base64 of 32 bytes");
    try {
      key = createPublicKey({
        key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") },
        format: "jwk",
      });
    } catch (err) {
      throw badKey(what, (err as Error).message);
    }
  }
  if (key.asymmetricKeyType !== "ed25519") throw badKey(what, `it is ${key.asymmetricKeyType ?? "unknown"}`);
  return key;
}

/** The public key (of a public or private key) as base64 of its 32 raw bytes. */
export function rawPublicKey(key: KeyObject): string {
  const pub = key.type === "private" ? createPublicKey(key) : key;
  const jwk = pub.export({ format: "jwk" });
  return Buffer.from(jwk.x ?? "", "base64url").toString("base64");
}

/** A short name of a public key: the first 16 hex digits of the SHA-256 of its raw bytes. */
export function keyIdOf(key: KeyObject): string {
  return createHash("sha256")
    .update(Buffer.from(rawPublicKey(key), "base64"))
    .digest("hex")
    .slice(0, 16);
}

/** The pointer with its signature. */
export function signPointer(fields: PointerFields, key: KeyObject): ReleasePointer {
  const signature = sign(null, signedBytes(fields), key).toString("base64");
  return { ...fields, keyId: keyIdOf(key), signature };
}

/** Whether `key` signed exactly these fields. */
export function hasValidSignature(p: ReleasePointer, key: KeyObject): boolean {
  if (!p.signature) return false;
  const sig = Buffer.from(p.signature, "base64");
  // Ed25519 signatures are 64 bytes; anything else cannot verify and need not be tried.
  if (sig.length !== 64) return false;
  return verify(null, signedBytes(p), key, sig);
}
