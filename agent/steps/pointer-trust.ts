// Whether a pointer is to be believed. With `pointer.public_key` configured: only a JSON pointer
// with a valid signature, a sequence not lower than the one this instance last ran, and a release
// not older than that one unless the pointer is a signed rollback; the pointer accepted is
// remembered in `pointer.state_file` (it outlives reboots). Without a key: today's behaviour, with
// a warning, and an image digest in the pointer is ignored (nothing vouches for it).
import { mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { KeyObject } from "node:crypto";
import { z } from "zod";
import { POINTER_STATE_FILE } from "#shared/config/agent.js";
import { writeFileAtomic } from "#shared/fs/atomic-write.js";
import { parseJsonAs } from "#shared/json.js";
import { field, type Logger } from "#shared/log.js";
import { hasValidSignature, keyIdOf, publicKeyFrom } from "#shared/release/pointer-signature.js";
import type { ReleasePointer } from "#shared/release/pointer.js";
import type { InstanceContext } from "../context.js";
import { pointerInvalid, type PointerClaim } from "./pointer-claim.js";

/** What the instance last ran, as its state file keeps it. */
export const lastRunSchema = z.object({
  sequence: z.number().int().nonnegative(),
  releaseId: z.string(),
  time: z.string(),
  keyId: z.string().optional(),
});
export type LastRun = z.infer<typeof lastRunSchema>;

export type Verdict = { ok: true } | { ok: false; reason: string };

/**
 * The replay rules, given a pointer whose signature is valid: a lower sequence is always a replay
 * (rollbacks get a new, higher one too); the same sequence must name the same release; a release
 * published before the last one run is taken only when the pointer is marked as a rollback.
 */
export function judgeFreshness(p: ReleasePointer, last: LastRun | undefined): Verdict {
  if (p.sequence === undefined) return { ok: false, reason: "it carries no sequence number" };
  if (!last) return { ok: true };
  if (p.sequence < last.sequence) {
    return {
      ok: false,
      reason: `its sequence ${p.sequence} is lower than ${last.sequence}, which this instance ran (release ${last.releaseId}): an older pointer replayed`,
    };
  }
  if (p.sequence === last.sequence && p.releaseId !== last.releaseId) {
    return {
      ok: false,
      reason: `its sequence ${p.sequence} is the one of release ${last.releaseId}, which this instance ran, but it names ${p.releaseId}`,
    };
  }
  if (Date.parse(p.time) < Date.parse(last.time) && p.rollback !== true) {
    return {
      ok: false,
      reason: `it names release ${p.releaseId} of ${p.time}, older than ${last.releaseId} of ${last.time} which this instance ran, without being a rollback`,
    };
  }
  return { ok: true };
}

export async function readLastRun(file: string): Promise<LastRun | undefined> {
  const text = await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return undefined;
    throw err;
  });
  return text === undefined ? undefined : parseJsonAs(lastRunSchema, text);
}

export async function writeLastRun(file: string, last: LastRun): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, `${JSON.stringify(last, null, 2)}\n`, 0o600);
}

export interface TrustPolicy {
  /** Whether pointers must be signed (a public key is configured). */
  signed: boolean;
  /** The claim as it may be used, or a PointerInvalid error. */
  accept(claim: PointerClaim): PointerClaim;
  /** Records the accepted pointer as the one this instance runs (signed pointers only). */
  remember(claim: PointerClaim): Promise<void>;
}

export async function trustPolicy(ctx: InstanceContext): Promise<TrustPolicy> {
  const cfg = ctx.config.pointer;
  if (!cfg.public_key) return unsignedPolicy(ctx.log);
  const key = publicKeyFrom(cfg.public_key);
  const file = cfg.state_file ?? POINTER_STATE_FILE;
  const last = await readLastRun(file).catch((err: unknown) => {
    // An unreadable state file must not make an older pointer acceptable: refuse to guess.
    throw pointerInvalid(`cannot read ${file}: ${(err as Error).message}`);
  });
  return signedPolicy(key, last, file);
}

export function signedPolicy(key: KeyObject, last: LastRun | undefined, stateFile: string): TrustPolicy {
  const keyId = keyIdOf(key);
  return {
    signed: true,
    accept(claim) {
      const refuse = (why: string) =>
        pointerInvalid(`${claim.source}: the pointer is not trusted: ${why}; it will not be used`);
      const doc = claim.document;
      if (!doc) throw refuse("a plain snapshot id carries no signature (pointer.public_key is set)");
      if (!doc.signature) throw refuse("it is not signed (pointer.public_key is set)");
      if (!hasValidSignature(doc, key)) {
        throw refuse(
          `its signature does not verify with the configured public key ${keyId}` +
            (doc.keyId && doc.keyId !== keyId ? ` (it names key ${doc.keyId})` : ""),
        );
      }
      const fresh = judgeFreshness(doc, last);
      if (!fresh.ok) throw refuse(fresh.reason);
      return claim;
    },
    async remember(claim) {
      const doc = claim.document;
      if (!doc || doc.sequence === undefined) return;
      await writeLastRun(stateFile, {
        sequence: doc.sequence,
        releaseId: doc.releaseId,
        time: doc.time,
        keyId,
      });
    },
  };
}

/** After the snapshot is verified: a signed pointer becomes the one this instance last ran. */
export async function rememberPointer(ctx: InstanceContext, claim: PointerClaim): Promise<void> {
  const cfg = ctx.config.pointer;
  if (!cfg.public_key) return;
  await signedPolicy(publicKeyFrom(cfg.public_key), undefined, cfg.state_file ?? POINTER_STATE_FILE).remember(
    claim,
  );
}

export function unsignedPolicy(log: Logger): TrustPolicy {
  let warned = false;
  return {
    signed: false,
    accept(claim) {
      if (!warned) {
        warned = true;
        log.warn(
          { [field.step]: "pointer" },
          "the release pointer is not authenticated: set pointer.public_key to the release server's key",
        );
      }
      if (!claim.imageDigest) return claim;
      // Only a signature could vouch for the image: without one the configured image is run.
      log.warn(
        { [field.step]: "pointer", imageDigest: claim.imageDigest },
        "ignoring the pointer's image digest: the pointer is not signed",
      );
      const { imageDigest: _ignored, ...rest } = claim;
      return rest;
    },
    async remember() {},
  };
}
