// One publisher at a time on a release host (the daemon, or `asg-release publish --local`): a lock
// file made with O_EXCL that records who holds it; a lock whose holder is dead is taken over.
import { hostname } from "node:os";
import { open, readFile, rm } from "node:fs/promises";
import { AsgReleaseError } from "#shared/errors.js";
import { isAlive } from "#shared/proc/alive.js";

interface Holder {
  pid: number;
  host: string;
  since: string;
  command: string;
}

export async function withLock<T>(path: string, command: string, fn: () => Promise<T>): Promise<T> {
  await acquire(path, command);
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}

async function acquire(path: string, command: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, "wx", 0o600);
      const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), command };
      await fh.writeFile(`${JSON.stringify(me)}\n`);
      await fh.close();
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const holder = await readHolder(path);
    if (holder && holder.host === hostname() && isAlive(holder.pid)) {
      throw new AsgReleaseError(
        `publish lock held by pid ${holder.pid} (${holder.command}) since ${holder.since}; ` +
          `wait for it, or remove ${path} if that process is not a publisher`,
        { code: "LockHeld" },
      );
    }
    // The holder died (kill -9): its journal tells the next publish what to finish.
    await rm(path, { force: true });
  }
  throw new AsgReleaseError(`could not take the publish lock ${path}`, { code: "LockHeld" });
}

async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as Holder;
  } catch {
    return undefined;
  }
}
