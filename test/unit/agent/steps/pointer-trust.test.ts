import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  judgeFreshness,
  readLastRun,
  signedPolicy,
  unsignedPolicy,
  type LastRun,
} from "../../../../agent/steps/pointer-trust.js";
import type { PointerClaim } from "../../../../agent/steps/pointer-claim.js";
import type { ReleasePointer } from "#shared/release/pointer.js";
import { captureLog } from "../../../support/log-lines.js";
import {
  generateSigningKeyPair,
  privateKeyFrom,
  publicKeyFrom,
  signPointer,
} from "#shared/release/pointer-signature.js";

const doc = (over: Partial<ReleasePointer> = {}): ReleasePointer => ({
  releaseId: "r5",
  snapshotId: "snap-0123456789abcdef0",
  treeHash: "c".repeat(64),
  time: "2026-01-05T00:00:00.000Z",
  sequence: 5,
  ...over,
});
const last: LastRun = { sequence: 5, releaseId: "r5", time: "2026-01-05T00:00:00.000Z" };

describe("judgeFreshness", () => {
  it("takes anything signed on an instance that ran nothing yet", () => {
    expect(judgeFreshness(doc({ sequence: 1 }), undefined)).toEqual({ ok: true });
  });

  it("takes the same pointer again (a reboot) and a newer one", () => {
    expect(judgeFreshness(doc(), last)).toEqual({ ok: true });
    expect(
      judgeFreshness(doc({ sequence: 6, releaseId: "r6", time: "2026-01-06T00:00:00.000Z" }), last),
    ).toEqual({ ok: true });
  });

  it("refuses a lower sequence, even marked as a rollback: an old pointer replayed", () => {
    for (const rollback of [false, true]) {
      const v = judgeFreshness(doc({ sequence: 4, releaseId: "r4", rollback }), last);
      expect(v).toEqual({
        ok: false,
        reason:
          "its sequence 4 is lower than 5, which this instance ran (release r5): an older pointer replayed",
      });
    }
  });

  it("refuses the same sequence naming another release", () => {
    expect(judgeFreshness(doc({ releaseId: "r9" }), last)).toMatchObject({ ok: false });
  });

  it("takes an older release only as a signed rollback, with a higher sequence", () => {
    const older = { sequence: 6, releaseId: "r3", time: "2026-01-03T00:00:00.000Z" };
    expect(judgeFreshness(doc(older), last)).toEqual({
      ok: false,
      reason:
        "it names release r3 of 2026-01-03T00:00:00.000Z, older than r5 of 2026-01-05T00:00:00.000Z which this instance ran, without being a rollback",
    });
    expect(judgeFreshness(doc({ ...older, rollback: true }), last)).toEqual({ ok: true });
  });

  it("refuses a pointer without a sequence", () => {
    expect(judgeFreshness(doc({ sequence: undefined }), undefined)).toEqual({
      ok: false,
      reason: "it carries no sequence number",
    });
  });
});

describe("signedPolicy", () => {
  const pair = generateSigningKeyPair();
  const key = privateKeyFrom(pair.privatePem);
  const pub = publicKeyFrom(pair.publicRaw);
  const claimOf = (d: ReleasePointer): PointerClaim => ({
    snapshotId: d.snapshotId,
    releaseId: d.releaseId,
    source: "https://r/v1/release",
    document: d,
  });
  let dir: string | undefined;
  afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

  it("accepts a valid signature and remembers it in a 0600 state file", async () => {
    dir = await mkdtemp(join(tmpdir(), "pointer-trust-"));
    const file = join(dir, "state", "pointer.json");
    const policy = signedPolicy(pub, undefined, file);
    const claim = claimOf(signPointer(doc(), key));
    expect(policy.accept(claim)).toBe(claim);
    await policy.remember(claim);
    expect(await readLastRun(file)).toMatchObject({ sequence: 5, releaseId: "r5" });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, "utf8"))).toHaveProperty("keyId");
  });

  it("refuses an unsigned pointer, a plain id, a forged field and another key's signature", () => {
    const policy = signedPolicy(pub, undefined, "/nonexistent/state.json");
    expect(() => policy.accept(claimOf(doc()))).toThrow("the pointer is not trusted: it is not signed");
    expect(() => policy.accept({ snapshotId: "snap-0123456789abcdef0", source: "s3://b/k" })).toThrow(
      "a plain snapshot id carries no signature",
    );
    const forged = { ...signPointer(doc(), key), snapshotId: "snap-0fffffffffffffff0" };
    expect(() => policy.accept(claimOf(forged))).toThrow(
      "its signature does not verify with the configured public key",
    );
    const other = privateKeyFrom(generateSigningKeyPair().privatePem);
    expect(() => policy.accept(claimOf(signPointer(doc(), other)))).toThrow(/\(it names key [0-9a-f]{16}\)/);
  });

  it("refuses a validly signed pointer older than the one last run", () => {
    const policy = signedPolicy(pub, last, "/nonexistent/state.json");
    expect(() => policy.accept(claimOf(signPointer(doc({ sequence: 2, releaseId: "r2" }), key)))).toThrow(
      "its sequence 2 is lower than 5",
    );
  });
});

describe("unsignedPolicy (no public key configured)", () => {
  it("takes the pointer as before, warns once that it is unauthenticated, and drops its image digest", () => {
    const { lines, log } = captureLog();
    const policy = unsignedPolicy(log);
    expect(policy.signed).toBe(false);
    const plain = { snapshotId: "snap-0123456789abcdef0", source: "http://r/snap.txt" };
    expect(policy.accept(plain)).toBe(plain);
    const withDigest = { ...plain, releaseId: "r1", imageDigest: `sha256:${"d".repeat(64)}` };
    expect(policy.accept(withDigest)).toEqual({
      snapshotId: plain.snapshotId,
      source: plain.source,
      releaseId: "r1",
    });
    expect(lines.map((l) => l.msg)).toEqual([
      "the release pointer is not authenticated: set pointer.public_key to the release server's key",
      "ignoring the pointer's image digest: the pointer is not signed",
    ]);
  });
});
