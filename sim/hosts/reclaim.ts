// Cleans up after a sim that could not stop its hosts (killed, crashed): ends what listOwned finds,
// detaches, unmounts, releases and removes, and reports what it found.
import { removeCgroups } from "./full/cgroups.js";
import { releaseLoop } from "./full/loop.js";
import { removeStateDir } from "./full/teardown.js";
import { listOwned, type Owned } from "./owned.js";
import { isAlive } from "./proc/processes.js";
import { run } from "./proc/run.js";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function killAll(pids: number[], timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline)
      throw new Error(`processes survive SIGKILL: ${pids.filter(isAlive).join(" ")}`);
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone
      }
    }
    await sleep(20);
  }
}

/** Returns what was found before cleaning. Safe on a dir that is already clean or missing. */
export async function reclaimStateDir(
  dir: string,
  opts: { mountNamespaces?: string[] } = {},
): Promise<Owned> {
  const found = listOwned(dir, opts);
  await killAll(found.processes.map((p) => p.pid));
  const points = [...new Set(found.mounts.map((m) => m.mountPoint))].sort((a, b) => b.length - a.length);
  for (const p of points) await run(["umount", "-l", p], { reject: false });
  for (const l of found.loopDevices) await releaseLoop(l.device);
  removeCgroups(found.cgroups);
  await removeStateDir(dir);
  return found;
}
