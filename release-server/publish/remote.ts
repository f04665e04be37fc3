// The commands a publish runs against an instance, as argv (nothing is run here): make the release
// mount writable if the agent mounted it read-only, push the tree, then the manifest, put the mount
// back to read-only, and read the manifest back. Every session that writes, and the one that reads,
// first checks the target: a filesystem of its own at the release path, and the target proof
// (target-proof.ts) that it is this project's release volume.
import { MANIFEST_DIR, MANIFEST_PATH } from "#shared/release/manifest.js";
import { mountinfoEscape, normalisePath, remountArgv } from "#shared/proc/argv/mount.js";
import { rsyncArgv } from "#shared/proc/argv/rsync.js";
import { shellJoin, shellQuote, sshArgv, sshCommandArgv, type SshSettings } from "#shared/proc/argv/ssh.js";
import { SYSTEM_EXCLUDES } from "./excludes.js";
import { proofScript, writeMarkerScript, type TargetProof } from "./target-proof.js";

/** Exit codes of the remote snippets below, chosen clear of rsync's and ssh's own. */
export const EXIT_NOT_MOUNTED = 90;
export const EXIT_NO_MANIFEST = 91;
export const NOT_MOUNTED_MARK = "asg-release: release volume not mounted";
/** Printed by the prepare step when it remounted the release read-write for the push. */
export const REMOUNTED_RW_MARK = "asg-release: remounted read-write";

export interface RemoteTarget {
  instanceId: string;
  privateIp: string;
}

export interface RemoteSettings {
  ssh: SshSettings;
  /** The release root on the instance. */
  dest: string;
  requireMount: boolean;
  /**
   * What the release volume must show before anything is written (target-proof.ts); with
   * requireMount, the publish path always sets it. Without requireMount the release path is a plain
   * directory, as in the release model (tests and benchmarks of the push alone): nothing to prove.
   */
  proof?: TargetProof;
  /** rsync's I/O timeout. */
  ioTimeoutSeconds: number;
}

/**
 * True when `dest` holds a filesystem of its own (a device other than its parent's). Unlike
 * `mountpoint`, this is false for a bind mount of a directory of the root filesystem, which is
 * what an instance may have at /release before the agent mounts the release volume.
 */
function ownFilesystem(dest: string): string {
  const d = shellQuote(dest);
  const up = shellQuote(`${dest}/..`);
  return `[ -d ${d} ] && [ "$(stat -c %d ${d})" != "$(stat -c %d ${up})" ]`;
}

function mountCheck(s: RemoteSettings): string {
  if (!s.requireMount) return "";
  const mounted = `{ ${ownFilesystem(s.dest)} || { echo ${shellQuote(NOT_MOUNTED_MARK)} >&2; exit ${EXIT_NOT_MOUNTED}; }; }; `;
  return s.proof ? `${mounted}${proofScript(s.dest, s.proof)}` : mounted;
}

/**
 * A shell test, true when the mount at `dest` (the last one there in /proc/self/mountinfo) is
 * read-only. The path goes through the environment: awk -v would undo mountinfo's escapes.
 */
export function readOnlyTest(dest: string): string {
  const p = shellQuote(mountinfoEscape(normalisePath(dest)));
  return (
    `P=${p} awk 'BEGIN { p = ENVIRON["P"] } $5 == p { o = $6 } ` +
    `END { exit index("," o ",", ",ro,") ? 0 : 1 }' /proc/self/mountinfo`
  );
}

/**
 * Step 0 of a push: when the release is mounted read-only (the agent's default), remount it
 * read-write and print REMOUNTED_RW_MARK, so the push knows to put it back; a read-write mount is
 * left alone. Checks the mount first, like the steps after it.
 */
export function prepareWriteArgv(t: RemoteTarget, s: RemoteSettings): string[] {
  return sshArgv(
    s.ssh,
    t.instanceId,
    t.privateIp,
    `${mountCheck(s)}if ${readOnlyTest(s.dest)}; then ` +
      `${shellJoin(remountArgv(s.dest, "rw"))} && echo ${shellQuote(REMOUNTED_RW_MARK)}; fi`,
  );
}

/** The last step of a push that remounted the release read-write: read-only again. */
export function restoreReadOnlyArgv(t: RemoteTarget, s: RemoteSettings): string[] {
  return sshArgv(s.ssh, t.instanceId, t.privateIp, shellJoin(remountArgv(s.dest, "ro")));
}

/**
 * Step 1 of a push: the tree without its manifest. The remote side first checks that the release
 * volume is mounted (else the files would land under the mount point, hidden once the agent
 * mounts it) and removes the old manifest, so while files change the instance claims no release.
 * --delay-updates puts every changed file in place at the end, together; deletions come after.
 */
export function pushTreeArgv(source: string, t: RemoteTarget, s: RemoteSettings): string[] {
  const manifest = shellQuote(`${s.dest}/${MANIFEST_PATH}`);
  return rsyncArgv({
    source: withSlash(source),
    dest: `${s.ssh.user}@${t.privateIp}:${withSlash(s.dest)}`,
    delete: "delay",
    delayUpdates: true,
    ioTimeoutSeconds: s.ioTimeoutSeconds,
    // Excluded paths are also protected from deletion on the instance.
    excludes: SYSTEM_EXCLUDES,
    rsh: sshCommandArgv(s.ssh, t.instanceId),
    // The release marker is written once the target is proven, before the manifest goes: a volume
    // made before there were markers was proven by its manifest, and keeps a proof without it.
    rsyncPath:
      `${mountCheck(s)}${s.proof ? `{ ${writeMarkerScript(s.dest, s.proof.project)}; } && ` : ""}` +
      `rm -f ${manifest} && exec rsync`,
  });
}

/**
 * Step 2: the manifest alone, from stdin into a temporary file renamed over the old one (atomic),
 * then read back: the same session that writes it proves what the instance now claims.
 */
export function writeManifestArgv(t: RemoteTarget, s: RemoteSettings): string[] {
  const dir = shellQuote(`${s.dest}/${MANIFEST_DIR}`);
  const manifest = shellQuote(`${s.dest}/${MANIFEST_PATH}`);
  const tmp = shellQuote(`${s.dest}/${MANIFEST_DIR}/.manifest.json.tmp`);
  return sshArgv(
    s.ssh,
    t.instanceId,
    t.privateIp,
    `${mountCheck(s)}umask 022 && mkdir -p ${dir} && cat > ${tmp} && mv -f ${tmp} ${manifest} && cat ${manifest}`,
  );
}

/**
 * Prints the instance's manifest; exits EXIT_NOT_MOUNTED, EXIT_NOT_RELEASE_VOLUME (the reason on
 * stderr) or EXIT_NO_MANIFEST instead.
 */
export function readManifestArgv(t: RemoteTarget, s: RemoteSettings): string[] {
  const manifest = shellQuote(`${s.dest}/${MANIFEST_PATH}`);
  const check = s.requireMount
    ? `${ownFilesystem(s.dest)} || exit ${EXIT_NOT_MOUNTED}; ${s.proof ? proofScript(s.dest, s.proof) : ""}`
    : "";
  return sshArgv(
    s.ssh,
    t.instanceId,
    t.privateIp,
    `${check}cat ${manifest} 2>/dev/null || exit ${EXIT_NO_MANIFEST}`,
  );
}

const withSlash = (p: string): string => (p.endsWith("/") ? p : `${p}/`);
