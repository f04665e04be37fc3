// Argv builders for mount/umount and a parser for /proc/self/mountinfo (proc(5)), which says what
// is mounted where without starting a process.

export const mountArgv = (device: string, path: string, options: readonly string[]): string[] =>
  options.length ? ["mount", "-o", options.join(","), device, path] : ["mount", device, path];

/** Remounts the filesystem at `path` read-write or read-only, keeping its other options. */
export const remountArgv = (path: string, mode: "rw" | "ro"): string[] => [
  "mount",
  "-o",
  `remount,${mode}`,
  path,
];

/** A path as /proc/self/mountinfo writes it: space, tab, newline and backslash as octal escapes. */
export const mountinfoEscape = (path: string): string =>
  path.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`);

export const umountArgv = (path: string): string[] => ["umount", path];

/** `findmnt` for one mount point, JSON output; exit 1 means nothing is mounted there. */
export const findmntArgv = (path: string): string[] => [
  "findmnt",
  "--json",
  "--output",
  "TARGET,SOURCE,FSTYPE,OPTIONS",
  "--mountpoint",
  path,
];

export interface MountEntry {
  mountId: number;
  /** `major:minor` of the device, which identifies it even when the source name differs. */
  majorMinor: string;
  mountPoint: string;
  options: string[];
  fsType: string;
  source: string;
}

/** Parses mountinfo lines: `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue`. */
export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const [left, right] = splitOnce(line, " - ");
    if (right === undefined) continue;
    const f = left.split(" ");
    const r = right.split(" ");
    const [id, , majorMinor, , mountPoint, options] = f;
    const [fsType, source] = r;
    if (!id || !majorMinor || !mountPoint || !options || !fsType || source === undefined) continue;
    entries.push({
      mountId: Number(id),
      majorMinor,
      mountPoint: unescapeOctal(mountPoint),
      options: options.split(","),
      fsType,
      source: unescapeOctal(source),
    });
  }
  return entries;
}

/** The filesystem visible at `path`: the last mount there wins, as later mounts cover earlier ones. */
export function mountAt(entries: readonly MountEntry[], path: string): MountEntry | undefined {
  const want = normalisePath(path);
  let found: MountEntry | undefined;
  for (const e of entries) if (e.mountPoint === want) found = e;
  return found;
}

/** Parses `findmnt --json` output (one filesystem or none). */
export function parseFindmnt(
  stdout: string,
): { target: string; source: string; fsType: string; options: string[] } | undefined {
  if (!stdout.trim()) return undefined;
  const doc = JSON.parse(stdout) as { filesystems?: Record<string, string>[] };
  const fs = doc.filesystems?.at(-1);
  if (!fs) return undefined;
  return {
    target: fs.target ?? "",
    source: fs.source ?? "",
    fsType: fs.fstype ?? "",
    options: (fs.options ?? "").split(",").filter(Boolean),
  };
}

export function normalisePath(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed === "" ? "/" : trimmed.replace(/\/+/g, "/");
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + sep.length)];
}

// mountinfo escapes space, tab, newline and backslash as \040, \011, \012, \134.
const unescapeOctal = (s: string): string =>
  s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
