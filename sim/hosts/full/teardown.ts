// Stops a full host, or undoes a boot that failed half-way: containers (so podman removes their
// cgroups), then every process of the host, its loop devices, its metadata listener and its state dir.
import { closeSync } from "node:fs";
import { rm } from "node:fs/promises";
import type { HostLog } from "../driver.js";
import { isUnder, readMountinfo } from "../proc/mountinfo.js";
import { listProcesses } from "../proc/processes.js";
import { containerCgroups, containerIds, removeCgroups } from "./cgroups.js";
import { stopHolder, type Holder } from "./holder.js";
import type { HostExec } from "./host-exec.js";
import type { HostLayout } from "./layout.js";
import { backingFile, releaseLoop } from "./loop.js";
import type { ImdsServer } from "../imds/server.js";

export interface Running {
  holder?: Holder;
  exec?: HostExec;
  imds?: ImdsServer;
  loopDevices: string[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Processes that entered only the host's mount namespace (not its PID namespace) survive the holder;
 * nsenter's own parents leave as soon as their child is gone. Wait for both, killing the first kind.
 */
async function drainNamespace(mountNamespace: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = listProcesses().filter((p) => p.mountNamespace === mountNamespace);
    if (left.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`processes left in ${mountNamespace}: ${left.map((p) => p.pid).join(" ")}`);
    for (const p of left) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        // gone
      }
    }
    await sleep(20);
  }
}

/**
 * A loop device still in use when released (its file system not yet put away by the kernel after the
 * namespace went) detaches by itself later; wait for that, so the image is clean before its next use.
 */
async function waitUnbound(images: Map<string, string | undefined>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A device bound again to another image meanwhile is someone else's.
    const bound = [...images]
      .filter(([d, image]) => image !== undefined && backingFile(d) === image)
      .map(([d]) => d);
    if (bound.length === 0) return;
    if (Date.now() > deadline) throw new Error(`still bound after ${timeoutMs} ms: ${bound.join(" ")}`);
    await sleep(20);
  }
}

/** Deletes the state dir, never through a mount (which would delete what is mounted). */
export async function removeStateDir(dir: string): Promise<void> {
  const mounted = readMountinfo().filter((m) => isUnder(m.mountPoint, dir));
  if (mounted.length > 0) {
    throw new Error(`not removing ${dir}: still mounted at ${mounted.map((m) => m.mountPoint).join(", ")}`);
  }
  await rm(dir, { recursive: true, force: true });
}

export async function teardown(
  l: HostLayout,
  r: Running,
  opts: { keepStateDir?: boolean; log: HostLog },
): Promise<void> {
  const problems: string[] = [];
  const step = async (what: string, fn: () => Promise<unknown> | unknown): Promise<void> => {
    try {
      await fn();
    } catch (e) {
      problems.push(`${what}: ${(e as Error).message}`);
    }
  };
  const { holder, exec } = r;
  if (holder && exec && containerIds(l.containersDir).length > 0) {
    // Through podman, so that it removes the containers' cgroups; what it cannot stop dies with the
    // PID namespace next, and the cgroup check below tells whether anything was left. A host that
    // boots again keeps its containers, exited, as a machine's container engine does over a power cycle.
    const argv = opts.keepStateDir
      ? ["podman", "stop", "--all", "--time", "0"]
      : ["podman", "rm", "--all", "--force", "--time", "0"];
    const removed = await exec
      .exec(argv, { timeoutMs: 30_000, reject: false })
      .catch((e: Error) => ({ exitCode: -1, stderr: e.message }));
    if (removed.exitCode !== 0)
      opts.log.warn({ dir: l.dir, stderr: removed.stderr.trim() }, `podman ${argv[1]} failed`);
  }
  if (holder) {
    await step("stop processes", () => stopHolder(holder));
    await step("leave namespace", () => drainNamespace(holder.mountNamespace));
    // Only now may the kernel free the namespace (and hand its number to a new one).
    closeSync(holder.namespacePin);
  }
  const images = new Map(r.loopDevices.map((d) => [d, backingFile(d)]));
  for (const device of r.loopDevices) await step(`release ${device}`, () => releaseLoop(device));
  if (opts.keepStateDir) await step("wait for loop devices", () => waitUnbound(images));
  await step("remove cgroups", () => {
    const left = removeCgroups(containerCgroups(containerIds(l.containersDir)));
    if (left.length > 0) throw new Error(`busy: ${left.join(", ")}`);
  });
  if (r.imds) await step("close metadata listener", () => r.imds!.close());
  if (!opts.keepStateDir) await step("remove state dir", () => removeStateDir(l.dir));
  // A kept dir names no processes or loop devices any more: those numbers may be reused by others.
  else await step("remove host record", () => rm(l.recordFile, { force: true }));
  if (problems.length > 0) opts.log.warn({ dir: l.dir, problems }, "host teardown incomplete");
  if (problems.length > 0) throw new Error(`teardown of ${l.dir}: ${problems.join("; ")}`);
}
