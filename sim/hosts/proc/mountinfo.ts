// Parses /proc/<pid>/mountinfo (proc(5)): which block device is mounted where, and what lies under a path.
import { readFileSync } from "node:fs";

export interface MountEntry {
  /** "7:3" for /dev/loop3 */
  majorMinor: string;
  /** The mounted directory within its file system (a bind mount's source). */
  root: string;
  mountPoint: string;
  fsType: string;
  source: string;
  superOptions: string;
}

// Spaces, tabs, newlines and backslashes in paths are written as octal escapes (\040).
const unescape = (s: string): string =>
  s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    const [before, after] = line.split(" - ");
    const f = (before ?? "").split(" ");
    const g = (after ?? "").split(" ");
    entries.push({
      majorMinor: f[2] ?? "",
      root: unescape(f[3] ?? ""),
      mountPoint: unescape(f[4] ?? ""),
      fsType: g[0] ?? "",
      source: unescape(g[1] ?? ""),
      superOptions: g[2] ?? "",
    });
  }
  return entries;
}

export function readMountinfo(pid: number | "self" = "self"): MountEntry[] {
  return parseMountinfo(readFileSync(`/proc/${pid}/mountinfo`, "utf8"));
}

export const isUnder = (path: string, dir: string): boolean => path === dir || path.startsWith(`${dir}/`);

/** Mount points strictly below `dir`, outermost first. */
export function submountsOf(dir: string, entries: MountEntry[]): string[] {
  const points = entries.map((e) => e.mountPoint).filter((p) => p !== dir && isUnder(p, dir));
  return [...new Set(points)].sort((a, b) => a.split("/").length - b.split("/").length);
}
