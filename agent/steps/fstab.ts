// The fstab entry that remounts the release after a reboot: by filesystem UUID, with `nofail` so a
// missing volume never stops the boot (fstab(5), systemd.mount(5)). The text itself is edited by
// shared/fs/fstab.ts: one line per mount point, everything else kept.
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "#shared/fs/atomic-write.js";
import { renderFstabEntry, upsertFstabLine } from "#shared/fs/fstab.js";

export interface FstabEntry {
  spec: string;
  path: string;
  fsType: string;
  options: readonly string[];
}

export function renderEntry(e: FstabEntry): string {
  // Pass 0: no fsck at boot. The volume is a copy of a snapshot the release server checked, and a
  // read-only release must not hold the boot up; the agent remounts it fresh on every boot anyway.
  return renderFstabEntry({ ...e, dump: 0, pass: 0 });
}

/** The file with exactly one entry for `entry.path`; the same text when it is already there. */
export function upsertFstab(text: string, entry: FstabEntry): string {
  return upsertFstabLine(text, entry.path, renderEntry(entry));
}

/** Rewrites the file only when the entry changes; returns whether it did. */
export async function ensureFstabEntry(file: string, entry: FstabEntry): Promise<boolean> {
  const before = await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return "";
    throw err;
  });
  const after = upsertFstab(before, entry);
  if (after === before) return false;
  await writeFileAtomic(file, after, 0o644);
  return true;
}
