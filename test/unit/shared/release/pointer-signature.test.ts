import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parsePointer, signedBytes, type PointerFields } from "#shared/release/pointer.js";
import {
  generateSigningKeyPair,
  hasValidSignature,
  keyIdOf,
  privateKeyFrom,
  publicKeyFrom,
  rawPublicKey,
  signPointer,
} from "#shared/release/pointer-signature.js";

const fields: PointerFields = {
  releaseId: "20260101-000000-cccccccc",
  snapshotId: "snap-0123456789abcdef0",
  treeHash: "c".repeat(64),
  time: "2026-01-01T00:00:00.000Z",
  sequence: 7,
};

describe("signedBytes", () => {
  it("is a context line and the signed fields in a fixed order, absent ones as null", () => {
    expect(signedBytes(fields).toString()).toBe(
      "asg-release pointer v1\n" +
        `{"releaseId":"20260101-000000-cccccccc","snapshotId":"snap-0123456789abcdef0","treeHash":"${"c".repeat(64)}",` +
        `"imageDigest":null,"time":"2026-01-01T00:00:00.000Z","sequence":7,"rollback":false}`,
    );
  });

  it("does not depend on the order the document's keys come in", () => {
    const shuffled = Object.fromEntries(Object.entries(fields).reverse()) as PointerFields;
    expect(Object.keys(shuffled)[0]).toBe("sequence");
    expect(signedBytes(shuffled)).toEqual(signedBytes(fields));
  });

  it("differs for every signed field", () => {
    const base = signedBytes(fields).toString();
    for (const change of [
      { releaseId: "r2" },
      { snapshotId: "snap-00000000" },
      { treeHash: "d".repeat(64) },
      { imageDigest: `sha256:${"e".repeat(64)}` },
      { time: "2026-01-02T00:00:00.000Z" },
      { sequence: 8 },
      { rollback: true },
    ]) {
      expect(signedBytes({ ...fields, ...change }).toString()).not.toBe(base);
    }
  });
});

describe("pointer signatures", () => {
  const pair = generateSigningKeyPair();
  const priv = privateKeyFrom(pair.privatePem);
  const pub = publicKeyFrom(pair.publicRaw);

  it("verify with the public key as raw base64 or as PEM, and name the key", () => {
    const signed = signPointer(fields, priv);
    expect(signed.keyId).toBe(keyIdOf(pub));
    expect(signed.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(hasValidSignature(signed, pub)).toBe(true);
    expect(hasValidSignature(signed, publicKeyFrom(pair.publicPem))).toBe(true);
    expect(rawPublicKey(priv)).toBe(pair.publicRaw);
  });

  it("survive the document's round trip through JSON", () => {
    const again = parsePointer(JSON.stringify(signPointer(fields, priv)));
    expect(again && hasValidSignature(again, pub)).toBe(true);
  });

  it.each([
    ["another release", { releaseId: "r-forged" }],
    ["another snapshot", { snapshotId: "snap-0fffffffffffffff0" }],
    ["an added image digest", { imageDigest: `sha256:${"e".repeat(64)}` }],
    ["a raised sequence", { sequence: 99 }],
    ["a rollback mark", { rollback: true }],
  ])("fail when %s is put in", (_what, change) => {
    expect(hasValidSignature({ ...signPointer(fields, priv), ...change }, pub)).toBe(false);
  });

  it("fail with another key, without a signature, or with a malformed one", () => {
    const other = publicKeyFrom(generateSigningKeyPair().publicRaw);
    const signed = signPointer(fields, priv);
    expect(hasValidSignature(signed, other)).toBe(false);
    expect(hasValidSignature({ ...fields }, pub)).toBe(false);
    expect(hasValidSignature({ ...signed, signature: "AAAA" }, pub)).toBe(false);
  });

  it("refuse keys that are not Ed25519", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
    expect(() => publicKeyFrom(rsa.publicKey.export({ format: "pem", type: "spki" }).toString())).toThrow(
      "pointer.public_key is not an Ed25519 key: it is rsa",
    );
    expect(() => publicKeyFrom("not a key")).toThrow("pointer.public_key is not an Ed25519 key");
    expect(() => publicKeyFrom(Buffer.alloc(31).toString("base64"))).toThrow("the base64 of 32 bytes");
    expect(() => privateKeyFrom(rsa.privateKey.export({ format: "pem", type: "pkcs8" }).toString())).toThrow(
      "the pointer signing key is not an Ed25519 key: it is rsa",
    );
  });
});
