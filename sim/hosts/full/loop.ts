// Loop devices for EBS volumes: an image file bound with `losetup --find --show`, released with
// `losetup -d`. Binding is serialised in this process: two concurrent --find calls can pick the same
// free device and one of them then fails.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { run } from "../proc/run.js";

let queue: Promise<unknown> = Promise.resolve();

function serial<T>(fn: () => Promise<T>): Promise<T> {
  const next = queue.then(fn, fn);
  queue = next.catch(() => undefined);
  return next;
}

export function bindLoop(imagePath: string): Promise<string> {
  return serial(async () => (await run(["losetup", "--find", "--show", imagePath])).stdout.trim());
}

/** Idempotent. A device still in use (mounted somewhere) is detached by the kernel when released. */
export async function releaseLoop(device: string): Promise<void> {
  const r = await run(["losetup", "-d", device], { reject: false });
  if (r.exitCode !== 0 && backingFile(device) !== undefined) {
    throw new Error(`losetup -d ${device}: ${r.stderr.trim()}`);
  }
}

/** "7:3" for /dev/loop3, as /proc/<pid>/mountinfo shows it. */
export function majorMinor(device: string): string {
  const rdev = statSync(device).rdev;
  const major = (rdev >> 8) & 0xfff;
  const minor = (rdev & 0xff) | ((rdev >> 12) & 0xfff00);
  return `${major}:${minor}`;
}

/** The file behind a loop device, without the " (deleted)" suffix; undefined when unbound. */
export function backingFile(device: string): string | undefined {
  const name = device.replace(/^\/dev\//, "");
  try {
    return readFileSync(`/sys/block/${name}/loop/backing_file`, "utf8")
      .trim()
      .replace(/ \(deleted\)$/, "");
  } catch {
    return undefined;
  }
}

/** Every bound loop device with its backing file. */
export function listLoops(): { device: string; backingFile: string }[] {
  const out: { device: string; backingFile: string }[] = [];
  for (const name of readdirSync("/sys/block")) {
    if (!name.startsWith("loop")) continue;
    const file = backingFile(`/dev/${name}`);
    if (file !== undefined) out.push({ device: `/dev/${name}`, backingFile: file });
  }
  return out;
}
