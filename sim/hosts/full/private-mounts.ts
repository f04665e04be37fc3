// The mounts that make a host's file system its own, and the script that sets them up inside its
// fresh mount namespace. Each mount is assembled at a staging point, then moved over its path in
// one step, so that nothing half-built is ever visible at the path.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { isUnder, submountsOf, type MountEntry } from "../proc/mountinfo.js";
import { shellQuote as q } from "../user-data/cloud-config.js";
import type { HostLayout } from "./layout.js";

export type PrivateMount =
  /** Copy-on-write over the machine's directory: the host sees the machine's files, writes its own. */
  | { path: string; kind: "overlay" }
  /** A directory of the host's state dir. */
  | { path: string; kind: "bind"; source: string }
  | { path: string; kind: "tmpfs"; options: string };

/**
 * Directories a host's software writes to besides /etc and /var (user-data installs into
 * /usr/local/bin or /opt, a package installed in the host writes /usr/bin and /usr/lib, sessions
 * write to /root): copy-on-write too, when the machine has them. /usr covers /usr/local.
 */
const WRITABLE_TREES = ["/root", "/home", "/opt", "/srv", "/usr"];

/** In order: a later mount may lie inside an earlier one. */
export function privateMounts(l: HostLayout, exists: (path: string) => boolean = existsSync): PrivateMount[] {
  return [
    // Own /etc: fstab, hostname, containers and asg-release config, systemd units, write_files targets.
    { path: "/etc", kind: "overlay" },
    // Own /var: logs, /var/lib state of whatever runs in the host.
    { path: "/var", kind: "overlay" },
    ...WRITABLE_TREES.filter(exists).map((path): PrivateMount => ({ path, kind: "overlay" })),
    // Container storage on the state dir's file system rather than on an overlay upper layer.
    { path: "/var/lib/containers", kind: "bind", source: l.containersDir },
    // A fresh /run and /tmp, as after a boot: sshd, podman (/run/containers, /run/libpod) and
    // runc (/run/runc) keep their runtime state there.
    { path: "/run", kind: "bind", source: l.runDir },
    { path: "/tmp", kind: "bind", source: l.tmpDir },
    // Own /dev: the machine's device nodes plus the host's /dev/disk/by-id and device-name links.
    { path: "/dev", kind: "overlay" },
    // Own shared memory: podman's lock segment (/dev/shm/libpod_lock) must not be shared between hosts.
    { path: "/dev/shm", kind: "tmpfs", options: "mode=1777,nosuid,nodev" },
    // /release is on the machine's root file system: its (empty) mount point is created there.
    { path: "/release", kind: "bind", source: l.releaseDir },
  ];
}

export const overlayDirs = (l: HostLayout, path: string): { upper: string; work: string } => {
  const name = path.slice(1).replaceAll("/", "_");
  return { upper: join(l.overlayDir, name, "upper"), work: join(l.overlayDir, name, "work") };
};

/**
 * Paths that must stay visible at their own path under a private mount: the host's state dir (sshd
 * config, boot scripts) always, and the sim's working directory (the project the sim and its
 * callers run from, e.g. a checkout under /tmp) under a mount that replaces the machine's content.
 * Outermost only: a kept path inside another is visible through it.
 */
export function keptVisible(m: PrivateMount, l: HostLayout, cwd: string = process.cwd()): string[] {
  const candidates = m.kind === "overlay" ? [l.dir] : [l.dir, cwd];
  const under = [...new Set(candidates)]
    .filter((p) => p !== m.path && isUnder(p, m.path))
    .sort((a, b) => a.length - b.length);
  return under.filter((p, i) => !under.slice(0, i).some((o) => isUnder(p, o)));
}

/** Machine mounts under `m.path` that the host keeps seeing (e.g. /dev/pts), outermost only. */
function carriedSubmounts(m: PrivateMount, later: PrivateMount[], machine: MountEntry[]): string[] {
  if (m.kind !== "overlay") return [];
  const kept: string[] = [];
  for (const s of submountsOf(m.path, machine)) {
    if (later.some((o) => isUnder(s, o.path) || isUnder(o.path, s))) continue;
    if (kept.some((k) => isUnder(s, k))) continue;
    kept.push(s);
  }
  return kept;
}

function mountLines(
  m: PrivateMount,
  i: number,
  all: PrivateMount[],
  l: HostLayout,
  machine: MountEntry[],
): string[] {
  const stage = join(l.stagingDir, String(i));
  const lines = [`mkdir -p ${q(stage)} ${q(m.path)}`];
  if (m.kind === "overlay") {
    const { upper, work } = overlayDirs(l, m.path);
    lines.push(
      `mount -n -t overlay overlay -o ${q(`lowerdir=${m.path},upperdir=${upper},workdir=${work}`)} ${q(stage)}`,
    );
  } else if (m.kind === "bind") {
    lines.push(`mount -n --bind ${q(m.source)} ${q(stage)}`);
  } else {
    lines.push(`mount -n -t tmpfs -o ${q(m.options)} tmpfs ${q(stage)}`);
  }
  for (const s of carriedSubmounts(m, all.slice(i + 1), machine)) {
    lines.push(`mount -n --rbind ${q(s)} ${q(stage + s.slice(m.path.length))}`);
  }
  for (const keep of keptVisible(m, l)) {
    const target = stage + keep.slice(m.path.length);
    lines.push(`mkdir -p ${q(target)}`, `mount -n --bind ${q(keep)} ${q(target)}`);
  }
  lines.push(`mount -n --move ${q(stage)} ${q(m.path)}`);
  return lines;
}

/**
 * The holder: run by `unshare` as PID 1 of the host's PID namespace. It sets up the mounts, prints
 * "ready", then waits on its stdin; when the sim closes it (or dies), the holder exits and the kernel
 * kills every process of the host with it.
 */
export function holderScript(
  l: HostLayout,
  hostname: string,
  machine: MountEntry[],
  mounts: PrivateMount[] = privateMounts(l),
): string {
  return [
    "#!/bin/bash",
    `# Holder of the host in ${l.dir}`,
    "set -euo pipefail",
    "trap 'exit 0' TERM INT",
    ...mounts.flatMap((m, i) => mountLines(m, i, mounts, l, machine)),
    `hostname ${q(hostname)}`,
    "echo ready",
    // As PID 1, bash also reaps the orphans of the host.
    "while read -r _; do :; done",
    "exit 0",
    "",
  ].join("\n");
}
