// Step "synced": copy the watched tree into the mounted release volume, then the release marker,
// and its manifest last.
// The old manifest goes first, so a volume caught half-synced names no release.
import { mkdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { AsgReleaseError } from "#shared/errors.js";
import { rsyncArgv } from "#shared/proc/argv/rsync.js";
import type { Run } from "#shared/proc/run.js";
import { MANIFEST_DIR, MANIFEST_PATH, renderManifest, type Manifest } from "#shared/release/manifest.js";
import type { ReleasePointer } from "#shared/release/pointer.js";
import { fsyncDir, writeFileAtomic } from "#shared/fs/atomic-write.js";
import { compileExcludes, SYSTEM_EXCLUDES } from "./excludes.js";
import { releaseIdOf } from "./release-id.js";
import { MARKER_PATH, markerText } from "./target-proof.js";
import { hashTree } from "./tree-hash.js";

export interface SyncResult {
  manifest: Manifest;
  /** The tree is the one the pointer already names: nothing to snapshot. */
  unchanged: boolean;
}

export async function syncVolume(
  run: Run,
  s: { project: string; source: string; mountPath: string; excludes: readonly string[] },
  startedAt: Date,
  current: ReleasePointer | undefined,
): Promise<SyncResult> {
  await assertMounted(s.mountPath);
  await rm(join(s.mountPath, MANIFEST_PATH), { force: true });
  await fsyncDir(join(s.mountPath)).catch(() => undefined);
  await run(
    rsyncArgv({
      source: s.source.endsWith("/") ? s.source : `${s.source}/`,
      dest: s.mountPath.endsWith("/") ? s.mountPath : `${s.mountPath}/`,
      delete: true,
      // An exclude added later must also clear what an earlier release carried.
      deleteExcluded: true,
      // ...but never the filesystem's own lost+found nor the manifest directory.
      filters: SYSTEM_EXCLUDES.map((p) => `P ${p}`),
      excludes: [...SYSTEM_EXCLUDES, ...s.excludes],
    }),
  );
  const digest = await hashTree(s.mountPath, compileExcludes(SYSTEM_EXCLUDES));
  const unchanged = current?.treeHash === digest.treeHash;
  const manifest: Manifest = {
    // An unchanged tree keeps its release id, so instances that have it stay converged.
    releaseId: unchanged && current ? current.releaseId : releaseIdOf(startedAt, digest.treeHash),
    treeHash: digest.treeHash,
    project: s.project,
    time: unchanged && current ? current.time : startedAt.toISOString(),
    files: digest.files,
  };
  await mkdir(join(s.mountPath, MANIFEST_DIR), { recursive: true, mode: 0o755 });
  // The release marker: snapshots carry it to every volume made from them (target-proof.ts).
  await writeFileAtomic(join(s.mountPath, MARKER_PATH), markerText(s.project), 0o644);
  await writeFileAtomic(join(s.mountPath, MANIFEST_PATH), renderManifest(manifest), 0o644);
  return { manifest, unchanged };
}

/**
 * Syncing into an unmounted mount point would snapshot a volume that never saw the change. A
 * filesystem of its own at `mountPath` has another device than the directory above it (this also
 * holds when the path is seen through /proc/PID/root of another mount namespace).
 */
export async function assertMounted(mountPath: string): Promise<void> {
  const [here, above] = await Promise.all([
    stat(mountPath).catch(() => undefined),
    stat(join(mountPath, "..")),
  ]);
  if (!here?.isDirectory() || here.dev === above.dev) {
    throw new AsgReleaseError(
      `the release volume is not mounted at ${mountPath}; run \`asg-release-server init\` first`,
      { code: "NotMounted" },
    );
  }
}
