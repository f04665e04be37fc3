// The fstab entry that remounts the release after a reboot: by filesystem UUID, with `nofail` so a
// missing volume never stops the boot (fstab(5), systemd.mount(5)). One line per mount point: an
// existing entry for the path is replaced in place, duplicates are dropped, everything else is kept.
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../../shared/fs/atomic-write.js";

export interface FstabEntry {
  spec: string;
  path: string;
  fsType: string;
  options: readonly string[];
}

export function renderEntry(e: FstabEntry): string {
  // Pass 0: no fsck at boot. The volume is a copy of a snapshot the release server checked, and a
  // read-only release must not hold the boot up; the agent remounts it fresh on every boot anyway.
  return `${e.spec} ${escape(e.path)} ${e.fsType} ${e.options.join(",")} 0 0`;
}

/** The file with exactly one entry for `entry.path`; the same text when it is already there. */
export function upsertFstab(text: string, entry: FstabEntry): string {
  const line = renderEntry(entry);
  const out: string[] = [];
  let placed = false;
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  for (const l of lines) {
    if (mountPointOf(l) === entry.path) {
      if (!placed) out.push(line);
      placed = true;
    } else {
      out.push(l);
    }
  }
  if (!placed) out.push(line);
  return `${out.join("\n")}\n`;
}

function mountPointOf(line: string): string | undefined {
  const t = line.trim();
  if (t === "" || t.startsWith("#")) return undefined;
  const f = t.split(/\s+/);
  return f[1] === undefined ? undefined : unescape(f[1]).replace(/(.)\/+$/, "$1");
}

// fstab escapes spaces and tabs in paths as \040 and \011.
const escape = (p: string) => p.replace(/ /g, "\\040").replace(/\t/g, "\\011");
const unescape = (p: string) =>
  p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

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
