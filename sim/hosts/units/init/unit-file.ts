// Reads a unit file as systemd does: sections of `Key=value` lines, `#`/`;` comments, a trailing
// backslash continues a line, a key may repeat (an empty value resets a list), and drop-ins in
// `<unit>.d/*.conf` are applied after the file in name order.
import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { UNIT_DIRS } from "./paths.js";

/** Section → key → values in file order ("" entries are resets, kept for the reader to apply). */
export type UnitSections = Map<string, Map<string, string[]>>;

export interface UnitFile {
  name: string;
  /** Where it was found, as the search path names it (e.g. /lib/systemd/system/x.service). */
  path: string;
  sections: UnitSections;
  /** True when the file is a link to /dev/null. */
  masked: boolean;
}

export function parseUnitText(text: string, into: UnitSections = new Map()): UnitSections {
  let section: Map<string, string[]> | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.trim();
    while (line.endsWith("\\") && i + 1 < lines.length)
      line = `${line.slice(0, -1).trimEnd()} ${lines[++i]!.trim()}`;
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      const name = header[1]!;
      section = into.get(name) ?? new Map();
      into.set(name, section);
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 0 || !section) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    section.set(key, [...(section.get(key) ?? []), value]);
  }
  return into;
}

/** The values of a key with systemd's reset rule: an empty assignment clears what came before. */
export function values(s: UnitSections, section: string, key: string): string[] {
  const all = s.get(section)?.get(key) ?? [];
  const reset = all.lastIndexOf("");
  return all.slice(reset + 1);
}

/** The last value of a key, or undefined. */
export function value(s: UnitSections, section: string, key: string): string | undefined {
  const v = values(s, section, key);
  return v.length > 0 ? v[v.length - 1] : undefined;
}

/** `foo` → `foo.service`, as systemctl completes a name without a type. */
export function unitName(arg: string): string {
  return /\.(service|target|socket|timer|mount|path|slice|scope|device|swap|automount)$/.test(arg)
    ? arg
    : `${arg}.service`;
}

export function findUnitPath(name: string, dirs: readonly string[] = UNIT_DIRS): string | undefined {
  for (const dir of dirs) {
    const path = join(dir, name);
    if (existsSync(path) || isDevNullLink(path)) return path;
  }
  return undefined;
}

function isDevNullLink(path: string): boolean {
  try {
    return realpathSync(path) === "/dev/null";
  } catch {
    return false;
  }
}

export function loadUnitFile(name: string, dirs: readonly string[] = UNIT_DIRS): UnitFile | undefined {
  const path = findUnitPath(name, dirs);
  if (!path) return undefined;
  if (isDevNullLink(path)) return { name, path, sections: new Map(), masked: true };
  const sections = parseUnitText(readFileSync(path, "utf8"));
  const dropIns = new Map<string, string>();
  // Drop-ins from every directory; one of the same file name in an earlier directory wins.
  for (const dir of [...dirs].reverse()) {
    const d = join(dir, `${name}.d`);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d)) if (f.endsWith(".conf")) dropIns.set(f, join(d, f));
  }
  for (const f of [...dropIns.keys()].sort()) parseUnitText(readFileSync(dropIns.get(f)!, "utf8"), sections);
  return { name, path, sections, masked: false };
}
