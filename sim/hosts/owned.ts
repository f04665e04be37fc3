// Everything on the machine that belongs to a state dir (the sim's, or one host's): processes,
// mounts, loop devices, container cgroups and the files themselves. Empty after a clean stop.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { containerCgroups, containerIds } from "./full/cgroups.js";
import { listLoops } from "./full/loop.js";
import type { HostRecord } from "./full/record.js";
import { isUnder, readMountinfo } from "./proc/mountinfo.js";
import { listProcesses, selfAndAncestors, withDescendants } from "./proc/processes.js";

export interface Owned {
  processes: { pid: number; cmdline: string }[];
  mounts: { mountPoint: string; fsType: string; source: string }[];
  loopDevices: { device: string; backingFile: string }[];
  cgroups: string[];
  /** [dir] while it exists. */
  files: string[];
}

const isHostDir = (d: string): boolean =>
  existsSync(join(d, "host.json")) || existsSync(join(d, "containers"));

/** Host directories in `dir`: itself, or below it (a driver's dir, a sim's dir holding one), 3 levels down. */
function hostDirs(dir: string, depth = 3): string[] {
  if (isHostDir(dir)) return [dir];
  if (depth === 0) return [];
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .flatMap((e) => hostDirs(join(dir, e.name), depth - 1));
  } catch {
    return [];
  }
}

function records(dirs: string[]): HostRecord[] {
  return dirs.flatMap((d) => {
    try {
      return [JSON.parse(readFileSync(join(d, "host.json"), "utf8")) as HostRecord];
    } catch {
      return [];
    }
  });
}

const mentions = (text: string, dir: string): boolean =>
  text.split(/[\s,=:]+/).some((word) => isUnder(word, dir));

/**
 * `mountNamespaces` adds hosts' namespaces known to the caller (e.g. "mnt:[4026532177]"), which
 * matter once host.json is gone with the dir: anything still in them is the host's.
 */
export function listOwned(dir: string, opts: { mountNamespaces?: string[] } = {}): Owned {
  const hosts = hostDirs(dir);
  const recs = records(hosts);
  const namespaces = new Set([...(opts.mountNamespaces ?? []), ...recs.map((r) => r.mountNamespace)]);
  const listed = listProcesses();
  const self = selfAndAncestors(listed);
  const all = listed.filter((p) => !self.has(p.pid));
  const roots = all
    .filter((p) => mentions(p.cmdline, dir) || namespaces.has(p.mountNamespace))
    .map((p) => p.pid);
  const pids = withDescendants(roots, all);
  const processes = all.filter((p) => pids.has(p.pid)).map((p) => ({ pid: p.pid, cmdline: p.cmdline }));
  const mounts = readMountinfo()
    .filter((m) => isUnder(m.mountPoint, dir) || mentions(m.superOptions, dir) || mentions(m.source, dir))
    .map((m) => ({ mountPoint: m.mountPoint, fsType: m.fsType, source: m.source }));
  const recorded = new Set(recs.flatMap((r) => r.loopDevices.map((l) => l.device)));
  const loopDevices = listLoops().filter((l) => isUnder(l.backingFile, dir) || recorded.has(l.device));
  const cgroups = containerCgroups(hosts.flatMap((h) => containerIds(join(h, "containers"))));
  return { processes, mounts, loopDevices, cgroups, files: existsSync(dir) ? [dir] : [] };
}

export const isClean = (o: Owned): boolean =>
  o.processes.length + o.mounts.length + o.loopDevices.length + o.cgroups.length + o.files.length === 0;
