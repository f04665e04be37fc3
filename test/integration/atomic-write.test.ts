// shared/fs/atomic-write: the one way the agent and the server replace state files.
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeFileAtomic } from "#shared/fs/atomic-write.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe("writeFileAtomic", () => {
  it("creates missing directories, replaces content, leaves no temporary file, and sets the mode", async () => {
    const dir = await mkdtemp(join(tmpdir(), "atomic-"));
    dirs.push(dir);
    const file = join(dir, "a", "b", "state.json");
    await writeFileAtomic(file, "one\n");
    await writeFileAtomic(file, "two\n", 0o644);
    expect(await readFile(file, "utf8")).toBe("two\n");
    expect(await readdir(join(dir, "a", "b"))).toEqual(["state.json"]);
    expect((await stat(file)).mode & 0o777).toBe(0o644);
  });
});
