// One package's file tree in a staging directory, then the .deb made of it by dpkg-deb. Every
// file gets the same mtime (SOURCE_DATE_EPOCH) and an explicit mode, and dpkg-deb makes root the
// owner, so the same inputs give the same package (dpkg-deb sorts the entries itself).
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { chmod, copyFile, lstat, lutimes, mkdir, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { run } from "#shared/proc/run.js";

export type Entry =
  | { kind: "file"; path: string; mode: number; source: string }
  | { kind: "text"; path: string; mode: number; text: string; gzip?: boolean }
  | { kind: "symlink"; path: string; target: string }
  | { kind: "dir"; path: string };

/** Writes `entries` (paths relative to the package root) under `stage`, replacing what was there. */
export async function writeTree(stage: string, entries: Entry[]): Promise<void> {
  await rm(stage, { recursive: true, force: true });
  for (const e of entries) {
    const path = join(stage, e.path);
    await mkdir(e.kind === "dir" ? path : dirname(path), { recursive: true });
    if (e.kind === "file") {
      await copyFile(e.source, path);
      await chmod(path, e.mode);
    } else if (e.kind === "text") {
      // gzip -9n: no name, no time in the header (the reproducible form lintian asks for).
      await writeFile(path, e.gzip ? gzipSync(e.text, { level: 9 }) : e.text);
      await chmod(path, e.mode);
    } else if (e.kind === "symlink") {
      await symlink(e.target, path);
    }
  }
}

async function walk(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const d of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = join(dir, d.name);
    out.push(relative(base, path));
    if (d.isDirectory()) out.push(...(await walk(path, base)));
  }
  return out;
}

async function md5(path: string): Promise<string> {
  const hash = createHash("md5");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The payload's md5sums (DEBIAN/md5sums) and installed size in KiB, counted as dpkg-gencontrol does:
 *  each file rounded up to a KiB, one KiB for every directory and symlink. */
export async function payloadSums(stage: string): Promise<{ md5sums: string; installedSize: number }> {
  let size = 0;
  const lines: string[] = [];
  for (const rel of await walk(stage)) {
    if (rel === "DEBIAN" || rel.startsWith("DEBIAN/")) continue;
    const st = await lstat(join(stage, rel));
    if (st.isFile()) {
      size += Math.ceil(st.size / 1024);
      lines.push(`${await md5(join(stage, rel))}  ${rel}`);
    } else {
      size += 1;
    }
  }
  return { md5sums: lines.length ? `${lines.join("\n")}\n` : "", installedSize: size };
}

/** Every directory mode 0755 and every mtime `epoch`, then `dpkg-deb --build` into `output`; xz at
 *  dpkg's default level, or at level 1 when `fast` (several times quicker, about 15 % larger). */
export async function buildDeb(stage: string, output: string, epoch: number, fast = false): Promise<void> {
  const entries = await walk(stage);
  for (const rel of entries) {
    const st = await lstat(join(stage, rel));
    if (st.isDirectory()) await chmod(join(stage, rel), 0o755);
  }
  await chmod(stage, 0o755);
  for (const rel of [...entries.reverse(), "."]) await lutimes(join(stage, rel), epoch, epoch);
  await mkdir(dirname(output), { recursive: true });
  await run(["dpkg-deb", "--build", "--root-owner-group", "-Zxz", ...(fast ? ["-z1"] : []), stage, output], {
    env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) },
    timeoutMs: 600_000,
  });
}
