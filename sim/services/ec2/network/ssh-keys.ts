// SSH key material for key pairs, made with node:crypto: a new RSA (PEM) or ed25519 (OpenSSH)
// private key with its OpenSSH public key, parsing of imported OpenSSH public keys, and the
// fingerprints EC2 reports for each kind.
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";

export interface KeyMaterial {
  keyType: "rsa" | "ed25519";
  /** What CreateKeyPair returns as KeyMaterial. */
  privateKey: string;
  /** `ssh-rsa AAAA...` / `ssh-ed25519 AAAA...` */
  publicKey: string;
  fingerprint: string;
}

const sshString = (b: Buffer | string): Buffer => {
  const data = typeof b === "string" ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, data]);
};

// SSH mpint: big-endian, with a leading zero when the top bit is set.
const mpint = (b: Buffer): Buffer => sshString(b[0]! & 0x80 ? Buffer.concat([Buffer.alloc(1), b]) : b);

export function generateKeyMaterial(keyType: "rsa" | "ed25519", comment: string): KeyMaterial {
  if (keyType === "rsa") {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pkcs8 = privateKey.export({ type: "pkcs8", format: "der" });
    return {
      keyType,
      privateKey: privateKey.export({ type: "pkcs1", format: "pem" }).toString().trimEnd(),
      publicKey: rsaOpenSsh(publicKey),
      // EC2: SHA-1 of the DER-encoded PKCS#8 private key, for keys it created.
      fingerprint: colonHex(createHash("sha1").update(pkcs8).digest()),
    };
  }
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  const pub = Buffer.from(jwk.x!, "base64url");
  const seed = Buffer.from(jwk.d!, "base64url");
  const blob = Buffer.concat([sshString("ssh-ed25519"), sshString(pub)]);
  void publicKey;
  return {
    keyType,
    privateKey: opensshPrivateKey(blob, pub, seed, comment),
    publicKey: `ssh-ed25519 ${blob.toString("base64")}`,
    fingerprint: sha256Fingerprint(blob),
  };
}

function rsaOpenSsh(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: "jwk" });
  const blob = Buffer.concat([
    sshString("ssh-rsa"),
    mpint(Buffer.from(jwk.e!, "base64url")),
    mpint(Buffer.from(jwk.n!, "base64url")),
  ]);
  return `ssh-rsa ${blob.toString("base64")}`;
}

// openssh-key-v1, unencrypted, one ed25519 key (the format ssh-keygen writes and EC2 returns).
function opensshPrivateKey(blob: Buffer, pub: Buffer, seed: Buffer, comment: string): string {
  const check = randomBytes(4);
  let section = Buffer.concat([
    check,
    check,
    sshString("ssh-ed25519"),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const pad = (8 - (section.length % 8)) % 8;
  section = Buffer.concat([section, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(1);
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    count,
    sshString(blob),
    sshString(section),
  ]);
  const lines = body.toString("base64").match(/.{1,70}/g) ?? [];
  return ["-----BEGIN OPENSSH PRIVATE KEY-----", ...lines, "-----END OPENSSH PRIVATE KEY-----"].join("\n");
}

/** Parses `ssh-rsa|ssh-ed25519 BASE64 [comment]`; undefined when it is not one. */
export function parseOpenSshPublicKey(
  text: string,
): { keyType: "rsa" | "ed25519"; publicKey: string; fingerprint: string } | undefined {
  const [type, b64] = text.trim().split(/\s+/);
  if ((type !== "ssh-rsa" && type !== "ssh-ed25519") || !b64) return undefined;
  const blob = Buffer.from(b64, "base64");
  if (blob.length < 4 || blob.subarray(4, 4 + blob.readUInt32BE(0)).toString() !== type) return undefined;
  const publicKey = `${type} ${b64}`;
  if (type === "ssh-ed25519") return { keyType: "ed25519", publicKey, fingerprint: sha256Fingerprint(blob) };
  // EC2: MD5 of the DER-encoded public key, for imported RSA keys.
  const [e, n] = readMpints(blob);
  if (!e || !n) return undefined;
  const key = createPublicKey({
    key: { kty: "RSA", e: e.toString("base64url"), n: n.toString("base64url") },
    format: "jwk",
  });
  const der = key.export({ type: "spki", format: "der" });
  return { keyType: "rsa", publicKey, fingerprint: colonHex(createHash("md5").update(der).digest()) };
}

function readMpints(blob: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let off = 0;
  while (off + 4 <= blob.length) {
    const len = blob.readUInt32BE(off);
    out.push(blob.subarray(off + 4, off + 4 + len));
    off += 4 + len;
  }
  // [type, e, n]; strip the sign byte of the mpints
  return out.slice(1).map((b) => (b[0] === 0 ? b.subarray(1) : b));
}

function sha256Fingerprint(blob: Buffer): string {
  return createHash("sha256").update(blob).digest("base64");
}

function colonHex(b: Buffer): string {
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join(":");
}
