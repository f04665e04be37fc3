// The tree hash on real files: what changes it and what does not.
import { chmod, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { compileExcludes, SYSTEM_EXCLUDES } from "../../release-server/publish/excludes.js";
import { hashTree } from "../../release-server/publish/tree-hash.js";

const root = await mkdtemp(join(tmpdir(), "tree-hash-"));
const excluded = compileExcludes([...SYSTEM_EXCLUDES, "*.log"]);
const hash = async (dir = root) => (await hashTree(dir, excluded)).treeHash;

beforeEach(async () => {
  await rm(root, { recursive: true, force: true });
  await mkdir(join(root, "app/lib"), { recursive: true });
  await writeFile(join(root, "app/index.html"), "<h1>hello</h1>\n");
  await writeFile(join(root, "app/lib/a.js"), "export const a = 1;\n");
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe("hashTree", () => {
  it("counts files and bytes", async () => {
    expect(await hashTree(root, excluded)).toMatchObject({ files: 2, bytes: 35 });
  });
  it("ignores file times", async () => {
    const before = await hash();
    await utimes(join(root, "app/index.html"), 1, 1);
    expect(await hash()).toBe(before);
  });
  it.each([
    ["a content change", () => writeFile(join(root, "app/lib/a.js"), "export const a = 2;\n")],
    ["a new empty directory", () => mkdir(join(root, "app/empty"))],
    ["a mode change", () => chmod(join(root, "app/index.html"), 0o755)],
    ["a symlink", () => symlink("index.html", join(root, "app/home.html"))],
  ])("changes with %s", async (_what, change) => {
    const before = await hash();
    await change();
    expect(await hash()).not.toBe(before);
  });
  it.each([
    ["an excluded file", () => writeFile(join(root, "app/debug.log"), "x")],
    [
      "the manifest directory",
      () =>
        mkdir(join(root, ".asg-release")).then(() =>
          writeFile(join(root, ".asg-release/manifest.json"), "{}"),
        ),
    ],
    ["lost+found", () => mkdir(join(root, "lost+found"))],
  ])("does not change with %s", async (_what, change) => {
    const before = await hash();
    await change();
    expect(await hash()).toBe(before);
  });
  it("a rename is a change even with the same content", async () => {
    const before = await hash();
    await rm(join(root, "app/lib/a.js"));
    await writeFile(join(root, "app/lib/b.js"), "export const a = 1;\n");
    expect(await hash()).not.toBe(before);
  });
});
