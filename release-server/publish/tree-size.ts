// How many files and bytes a tree holds, counted the way the tree hash counts them (regular files,
// excluded entries skipped), from metadata only: cheap enough to run before every publish.
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { ExcludeMatcher } from "./excludes.js";
import type { TreeSize } from "./plan/shrink.js";

export async function treeSize(root: string, excluded: ExcludeMatcher): Promise<TreeSize> {
  const total: TreeSize = { files: 0, bytes: 0 };
  const walk = async (rel: string): Promise<void> => {
    for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (excluded(path, entry.isDirectory())) continue;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        total.files++;
        total.bytes += (await lstat(join(root, path))).size;
      }
    }
  };
  await walk("");
  return total;
}
