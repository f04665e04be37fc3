// Volume and snapshot images on disk: sparse files under the state directory. A volume from a
// snapshot and a snapshot of a volume are reflink/sparse copies, so a 100 GiB volume that holds a
// few MiB costs a few MiB (docs/design.md#volumes-are-image-files).
import { mkdir, open, rm } from "node:fs/promises";
import { join } from "node:path";
import { run } from "../../../hosts/proc/run.js";

const GIB = 1024 ** 3;

export function volumeImagePath(stateDir: string, volumeId: string): string {
  return join(stateDir, "volumes", `${volumeId}.img`);
}

export function snapshotImagePath(stateDir: string, snapshotId: string): string {
  return join(stateDir, "snapshots", `${snapshotId}.img`);
}

/** A sparse file of `sizeGiB`: no blocks are allocated until written. */
export async function createBlankImage(path: string, sizeGiB: number): Promise<void> {
  await mkdir(join(path, ".."), { recursive: true });
  const file = await open(path, "w");
  try {
    await file.truncate(sizeGiB * GIB);
  } finally {
    await file.close();
  }
}

/** Copies `src` to `dst` sharing blocks where the filesystem can, keeping holes otherwise. */
export async function copyImage(src: string, dst: string, sizeGiB?: number): Promise<void> {
  await mkdir(join(dst, ".."), { recursive: true });
  await run(["cp", "--reflink=auto", "--sparse=always", src, dst]);
  // A volume may be larger than its snapshot: grow the copy (still sparse).
  if (sizeGiB !== undefined) {
    const file = await open(dst, "r+");
    try {
      const { size } = await file.stat();
      if (size < sizeGiB * GIB) await file.truncate(sizeGiB * GIB);
    } finally {
      await file.close();
    }
  }
}

export async function removeImage(path: string | undefined): Promise<void> {
  if (path) await rm(path, { force: true });
}
