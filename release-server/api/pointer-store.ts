// The current release pointer, as the API serves it: kept in memory, persisted atomically to a local
// file before anyone can read it, and announced to long-poll waiters. Each pointer published gets
// the next sequence number (kept in the same file and the S3 mirror, so it survives restarts) and,
// with a signing key, its signature: the file, the API and the S3 object all hold that one document.
import { createPublicKey, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parsePointer, type PointerFields, type ReleasePointer } from "#shared/release/pointer.js";
import { hasValidSignature, signPointer } from "#shared/release/pointer-signature.js";
import { AsgReleaseError } from "#shared/errors.js";
import { writeFileAtomic } from "#shared/fs/atomic-write.js";
import type { PointerMirror } from "./s3-pointer.js";

type Waiter = (p: ReleasePointer) => void;

export class PointerStore {
  private pointer: ReleasePointer | undefined;
  private readonly waiters = new Set<Waiter>();

  constructor(
    private readonly file: string,
    private readonly mirror?: PointerMirror,
    /** Ed25519; without it pointers are served unsigned. */
    private readonly signingKey?: KeyObject,
  ) {}

  /**
   * Loads the persisted pointer; a missing file means no release published yet. With a mirror, a
   * newer pointer there (another server published) wins over the local file.
   */
  async load(): Promise<ReleasePointer | undefined> {
    const local = await this.loadLocal();
    const remote = this.mirror ? await this.mirror.load() : undefined;
    this.pointer = remote && (!local || isNewer(remote, local)) ? remote : local;
    return this.pointer;
  }

  private async loadLocal(): Promise<ReleasePointer | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    const p = parsePointer(text);
    if (!p)
      throw new AsgReleaseError(`release pointer ${this.file} is not valid; remove it and publish again`);
    this.pointer = p;
    return p;
  }

  /**
   * A current pointer this key did not sign (one from before the key existed, or from a replaced
   * key) is published again, signed, with the next sequence: agents given the key take it at once
   * instead of waiting for the next release.
   */
  async ensureSigned(): Promise<ReleasePointer | undefined> {
    const p = this.pointer;
    if (!p || !this.signingKey || hasValidSignature(p, createPublicKey(this.signingKey))) return p;
    return this.publish(p);
  }

  current(): ReleasePointer | undefined {
    return this.pointer;
  }

  /**
   * Publishes these fields as the next pointer (sequence and signature added). The mirror first:
   * if another server got there before us, nothing here changes.
   */
  async publish(fields: Omit<PointerFields, "sequence">): Promise<ReleasePointer> {
    const next: PointerFields = {
      releaseId: fields.releaseId,
      snapshotId: fields.snapshotId,
      treeHash: fields.treeHash,
      time: fields.time,
      ...(fields.imageDigest ? { imageDigest: fields.imageDigest } : {}),
      // Past both this server's and the mirror's: another server may have published meanwhile.
      sequence: Math.max(this.pointer?.sequence ?? 0, (await this.mirror?.seen())?.sequence ?? 0) + 1,
      ...(fields.rollback ? { rollback: true } : {}),
    };
    const p = this.signingKey ? signPointer(next, this.signingKey) : next;
    await this.mirror?.put(p);
    await writeFileAtomic(this.file, `${JSON.stringify(p, null, 2)}\n`, 0o644);
    this.pointer = p;
    for (const w of [...this.waiters]) w(p);
    return p;
  }

  /**
   * Resolves with the pointer once it names a release other than `afterReleaseId`, or with the
   * current one (possibly unchanged) when `timeoutMs` passes or `signal` aborts.
   */
  waitForChange(
    afterReleaseId: string | undefined,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<ReleasePointer | undefined> {
    const now = this.pointer;
    if (now && now.releaseId !== afterReleaseId) return Promise.resolve(now);
    if (timeoutMs <= 0 || signal?.aborted) return Promise.resolve(now);
    return new Promise((resolve) => {
      const done = (p: ReleasePointer | undefined) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        signal?.removeEventListener("abort", onAbort);
        resolve(p);
      };
      const waiter: Waiter = (p) => done(p);
      const onAbort = () => done(this.pointer);
      const timer = setTimeout(() => done(this.pointer), timeoutMs);
      this.waiters.add(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  waiting(): number {
    return this.waiters.size;
  }
}

/** By sequence where both have one (pointers from before sequences have none), else by time. */
function isNewer(a: ReleasePointer, b: ReleasePointer): boolean {
  if (a.sequence !== undefined && b.sequence !== undefined) return a.sequence > b.sequence;
  if (a.sequence !== undefined && b.sequence === undefined) return true;
  if (a.sequence === undefined && b.sequence !== undefined) return false;
  return a.time > b.time;
}
