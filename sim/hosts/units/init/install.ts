// enable, disable and is-enabled as systemctl does them: the [Install] section's WantedBy=/RequiredBy=
// become links in /etc/systemd/system/<target>.wants/ (or .requires/) to the unit file, Alias= a link
// of its own; a unit whose link exists anywhere in the search path is enabled (so links made by
// deb-systemd-helper or by hand count too).
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
  unlinkSync,
} from "node:fs";
import { basename, join } from "node:path";
import { ENABLE_DIR, UNIT_DIRS } from "./paths.js";
import type { ServiceConfig } from "./service-config.js";

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

function links(config: ServiceConfig): string[] {
  return [
    ...config.wantedBy.map((t) => join(ENABLE_DIR, `${t}.wants`, config.name)),
    ...config.requiredBy.map((t) => join(ENABLE_DIR, `${t}.requires`, config.name)),
    ...config.alias.map((a) => join(ENABLE_DIR, a)),
  ];
}

export function enable(config: ServiceConfig, unitPath: string, o: Output): void {
  for (const link of links(config)) {
    if (isLink(link) && readlinkSync(link) === unitPath) continue;
    mkdirSync(join(link, ".."), { recursive: true });
    if (isLink(link)) unlinkSync(link);
    symlinkSync(unitPath, link);
    o.err(`Created symlink ${link} → ${unitPath}.`);
  }
}

export function disable(name: string, o: Output): void {
  for (const link of enablementLinks(name, [ENABLE_DIR])) {
    unlinkSync(link);
    o.err(`Removed "${link}".`);
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Links that enable `name`: <dir>/*.wants/<name>, *.requires/<name> in the given directories. */
export function enablementLinks(name: string, dirs: readonly string[] = UNIT_DIRS): string[] {
  const found: string[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const d of readdirSync(dir)) {
      if (!d.endsWith(".wants") && !d.endsWith(".requires")) continue;
      const link = join(dir, d, name);
      if (isLink(link) || existsSync(link)) found.push(link);
    }
  }
  return found;
}

/** Units a target pulls in: the entries of its .wants/.requires directories everywhere. */
export function wantedBy(target: string, dirs: readonly string[] = UNIT_DIRS): string[] {
  const names = new Set<string>();
  for (const dir of dirs) {
    for (const kind of [".wants", ".requires"]) {
      const d = join(dir, `${target}${kind}`);
      if (existsSync(d)) for (const f of readdirSync(d)) names.add(basename(f));
    }
  }
  return [...names].sort();
}

export type EnablementState = "enabled" | "disabled" | "static" | "masked" | "alias" | "indirect";

export function enablementState(config: ServiceConfig, masked: boolean): EnablementState {
  if (masked) return "masked";
  if (enablementLinks(config.name).some((l) => l.startsWith(`${ENABLE_DIR}/`))) return "enabled";
  if (enablementLinks(config.name).length > 0) return "enabled";
  const installable = config.wantedBy.length + config.requiredBy.length + config.alias.length > 0;
  if (!installable) return config.also.length > 0 ? "indirect" : "static";
  return "disabled";
}
