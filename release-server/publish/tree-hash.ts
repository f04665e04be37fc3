// A content hash of a release tree: the same tree gives the same hash on the source, on the release
// volume and on every instance, whatever the file times. Each entry contributes one line
// "<type> <mode> <sha256> <path>" in a depth-first walk with names sorted at each level; file
// contents are streamed, so a large tree costs no more memory than a small one.
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { lstat, readdir, readlink } from "node:fs/promises";
import { join } from "node:path";
import type { ExcludeMatcher } from "./excludes.js";

export interface TreeDigest {
  /** sha256, hex. */
  treeHash: string;
  files: number;
  bytes: number;
}

export async function hashTree(root: string, excluded: ExcludeMatcher): Promise<TreeDigest> {
  const tree = createHash("sha256");
  const totals = { files: 0, bytes: 0 };
  await walk(root, "", excluded, tree, totals);
  return { treeHash: tree.digest("hex"), ...totals };
}

async function walk(
  root: string,
  rel: string,
  excluded: ExcludeMatcher,
  tree: Hash,
  totals: { files: number; bytes: number },
): Promise<void> {
  const entries = await readdir(join(root, rel), { withFileTypes: true });
  // Sorted by code unit, not locale: the order must not depend on the machine's settings.
  const names = entries.map((e) => e.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const path = rel ? `${rel}/${name}` : name;
    const abs = join(root, path);
    const st = await lstat(abs);
    if (excluded(path, st.isDirectory())) continue;
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isDirectory()) {
      tree.update(`d ${mode} - ${path}\n`);
      await walk(root, path, excluded, tree, totals);
    } else if (st.isFile()) {
      tree.update(`f ${mode} ${await hashFile(abs)} ${path}\n`);
      totals.files++;
      totals.bytes += st.size;
    } else if (st.isSymbolicLink()) {
      // A link's own mode is meaningless on Linux; its target is its content.
      const target = createHash("sha256")
        .update(await readlink(abs))
        .digest("hex");
      tree.update(`l 0 ${target} ${path}\n`);
    }
    // Sockets, fifos and devices are not release content; rsync -a would copy them, so the
    // release tree is expected not to hold any.
  }
}

async function hashFile(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest("hex");
}
