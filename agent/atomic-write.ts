// Writes a file so that a reader (or a crash) sees the old content or the new, never half of it:
// a temporary file in the same directory, fsync, rename.
import { mkdir, open, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export async function writeFileAtomic(path: string, content: string, mode = 0o644): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  const fh = await open(tmp, "w", mode);
  try {
    await fh.writeFile(content, "utf8");
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    // A file bind-mounted over (a container's or a test host's /etc/fstab) cannot be replaced by
    // rename (EBUSY); writing in place is the only way, and the content is small.
    if ((err as NodeJS.ErrnoException).code === "EBUSY" || (err as NodeJS.ErrnoException).code === "EXDEV") {
      await writeFile(path, content, "utf8");
      return;
    }
    throw err;
  }
}
