// One publisher at a time on a release host (the daemon, or `asg-release publish --local`): a lock
// file that names its holder. It appears with its holder already in it (a temporary file linked to
// the lock's name: link() never replaces a name), and only its holder removes it. A lock whose
// holder is dead (kill -9) is taken over, and only one contender may remove a given dead holder's
// lock: it first claims that lock by a name unique to it (`<lock>.<token>.claim`, made the same
// way), then removes the lock only if it still names that holder. A claim whose claimer died is
// itself taken over the same way, so a crash at any point leaves nothing that blocks forever.
import { createHash, randomUUID } from "node:crypto";
import { link, open, readFile, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { AsgReleaseError } from "#shared/errors.js";
import { isAlive } from "#shared/proc/alive.js";

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  command: string;
  /** Unique to this holding: what tells one holding of a pid from the next. */
  token: string;
}

export interface LockOptions {
  /** Told whose dead lock was taken over, before the holder's work starts. */
  onTakeover?: (stale: LockHolder) => void;
}

export async function withLock<T>(
  path: string,
  command: string,
  fn: () => Promise<T>,
  opts: LockOptions = {},
): Promise<T> {
  const me = await acquireLock(path, command, opts);
  try {
    return await fn();
  } finally {
    await releaseLock(path, me);
  }
}

export function describeHolder(h: LockHolder): string {
  return `pid ${h.pid} on ${h.host} (${h.command}) since ${h.since}`;
}

/** Takes the lock or throws LockHeld naming its live holder; resolves this holding. */
export async function acquireLock(
  path: string,
  command: string,
  opts: LockOptions = {},
): Promise<LockHolder> {
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    command,
    token: randomUUID(),
  };
  // Each pass either takes the lock, meets a live holder, or removes a dead one (or sees it gone):
  // a bounded number of passes, unless contenders keep dying under us.
  for (let attempt = 0; attempt < 16; attempt++) {
    if (await createWithHolder(path, me)) return me;
    const holder = await readHolder(path);
    if (!holder) continue; // released meanwhile, or unreadable (see readHolder)
    if (!isDead(holder)) {
      throw new AsgReleaseError(
        `publish lock held by ${describeHolder(holder)}; wait for it, or remove ${path} if that process is not a publisher`,
        { code: "LockHeld", context: { path, pid: holder.pid } },
      );
    }
    // The holder died (kill -9): its journal tells the next publish what to finish.
    if (await removeDead(path, holder, me)) opts.onTakeover?.(holder);
  }
  throw new AsgReleaseError(`could not take the publish lock ${path}`, {
    code: "LockHeld",
    context: { path },
  });
}

/** Removes the lock if it is this holding's; someone else's is left alone. */
export async function releaseLock(path: string, me: LockHolder): Promise<void> {
  const holder = await readHolder(path);
  // Only this process removes its own lock, and it is alive: the name cannot change in between.
  if (holder?.token === me.token) await unlink(path).catch(ignoreMissing);
}

/**
 * Creates `path` holding `h`, or returns false when the name exists. The temporary file is written
 * in full first, so the lock is never seen empty or half written.
 */
async function createWithHolder(path: string, h: LockHolder): Promise<boolean> {
  const tmp = `${path}.${h.token}.tmp`;
  const fh = await open(tmp, "wx", 0o600);
  try {
    await fh.writeFile(`${JSON.stringify(h)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    await unlink(tmp).catch(ignoreMissing);
  }
}

/**
 * Removes `path` while it names the dead `stale` holder, as the one contender that claimed it.
 * True when this call removed it; false when another contender is at it or did it already.
 */
async function removeDead(path: string, stale: LockHolder, me: LockHolder): Promise<boolean> {
  const claim = `${path}.${stale.token}.claim`;
  const mine: LockHolder = { ...me, token: randomUUID() };
  for (let attempt = 0; ; attempt++) {
    if (await createWithHolder(claim, mine)) break;
    const claimer = await readHolder(claim);
    if (claimer && !isDead(claimer)) return false;
    if (claimer) await removeDead(claim, claimer, me);
    if (attempt >= 16) return false;
  }
  try {
    // The lock can change only by its holder (dead) or by this claim's holder (us): what is read
    // here stays until the unlink.
    const now = await readHolder(path);
    if (now?.token !== stale.token) return false;
    await unlink(path);
    return true;
  } finally {
    await releaseLock(claim, mine);
  }
}

/** A holder on this host whose process is gone; a holder on another host is never judged. */
function isDead(h: LockHolder): boolean {
  return h.host === hostname() && Number.isInteger(h.pid) && !isAlive(h.pid);
}

/**
 * The holder named in a lock file, or undefined when there is none. A lock file is complete when it
 * appears (see createWithHolder); one that does not parse was not written by this code and is
 * reported as held by nobody, which makes acquire give up after its passes instead of removing it.
 * A lock written before holders carried a token is told apart by its content.
 */
async function readHolder(path: string): Promise<LockHolder | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    ignoreMissing(err);
    return undefined;
  }
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (typeof h.pid !== "number") return undefined;
    // The token names claim files: anything but a plain token is replaced by a hash.
    const token =
      typeof h.token === "string" && /^[A-Za-z0-9-]{1,64}$/.test(h.token)
        ? h.token
        : createHash("sha256").update(text).digest("hex");
    return { pid: h.pid, host: String(h.host), since: String(h.since), command: String(h.command), token };
  } catch {
    return undefined;
  }
}

function ignoreMissing(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
}
