// /etc/fstab text, pure (fstab(5)): one entry rendered as a line, and a file's text with exactly one
// line for a mount point: an existing entry for the path is replaced in place, duplicates are
// dropped, comments and every other entry are kept. The agent and the release server both use it.

export interface FstabEntry {
  /** The device: `UUID=...`, `LABEL=...` or a path. */
  spec: string;
  path: string;
  fsType: string;
  options: readonly string[];
  /** dump(8) frequency; 0 by default. */
  dump?: number;
  /** fsck pass at boot; 0 (none) by default. */
  pass?: number;
}

export function renderFstabEntry(e: FstabEntry): string {
  return `${e.spec} ${escapePath(e.path)} ${e.fsType} ${e.options.join(",")} ${e.dump ?? 0} ${e.pass ?? 0}`;
}

/** `text` with `line` as the one entry for mount point `path`; the same text when it is there already. */
export function upsertFstabLine(text: string, path: string, line: string): string {
  const want = withoutTrailingSlash(path);
  const out: string[] = [];
  let placed = false;
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  for (const l of lines) {
    if (fstabMountPoint(l) === want) {
      if (!placed) out.push(line);
      placed = true;
    } else {
      out.push(l);
    }
  }
  if (!placed) out.push(line);
  return `${out.join("\n")}\n`;
}

/** The mount point a line names (unescaped, without a trailing slash); none for comments and blanks. */
export function fstabMountPoint(line: string): string | undefined {
  const t = line.trim();
  if (t === "" || t.startsWith("#")) return undefined;
  const f = t.split(/\s+/);
  return f[1] === undefined ? undefined : withoutTrailingSlash(unescapePath(f[1]));
}

const withoutTrailingSlash = (p: string) => p.replace(/(.)\/+$/, "$1");

// fstab writes a backslash, space, tab and newline in a path as octal escapes (\134, \040, ...).
const escapePath = (p: string) =>
  p.replace(/[\\ \t\n]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`);
const unescapePath = (p: string) =>
  p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
