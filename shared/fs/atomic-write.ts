// Writes a file so that a reader (or a restart after kill -9) sees either the old content or the
// new one, never a torn file: write a temporary file, fsync it, rename it over, fsync the directory.
import { mkdir, open, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export async function writeFileAtomic(path: string, data: string, mode = 0o600): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fh = await open(tmp, "w", mode);
  try {
    await fh.writeFile(data);
    // Without this fsync the rename can reach the disk before the data does (ext4 delalloc).
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    // A file bind-mounted over (a container's or a local host's /etc/fstab) cannot be replaced by
    // rename (EBUSY); writing in place is the only way, and such files are small.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EBUSY" || code === "EXDEV") {
      await writeFile(path, data, { mode });
      return;
    }
    throw err;
  }
  await fsyncDir(dir);
}

/** Makes a rename durable: the directory entry itself must reach the disk. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
