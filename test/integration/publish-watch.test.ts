// The chokidar adapter on a real temporary tree: changes are reported, excluded paths are not.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileExcludes } from "../../release-server/publish/excludes.js";
import { watchTree, type TreeWatcher } from "../../release-server/watch/watcher.js";
import { poll } from "#shared/poll.js";

let root: string;
let watcher: TreeWatcher;
const seen: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "watch-"));
  await mkdir(join(root, "node_modules/pkg"), { recursive: true });
  await mkdir(join(root, "src"));
  watcher = watchTree(
    root,
    compileExcludes(["node_modules/", "*.swp"]),
    (p) => seen.push(p.slice(root.length + 1)),
    (err) => {
      throw err;
    },
  );
  await watcher.ready;
});
afterAll(async () => {
  await watcher.close();
  await rm(root, { recursive: true, force: true });
});

const count = (path: string) => seen.filter((p) => p === path).length;
const waitSeen = (path: string, times = 1) =>
  poll(
    async () =>
      count(path) >= times ? { state: "SUCCESS", value: true } : { state: "RETRY", reason: "not yet" },
    {
      what: `a change event for ${path}`,
      maxWaitMs: 10_000,
      minDelayMs: 20,
      maxDelayMs: 100,
    },
  );

describe("watchTree", () => {
  it("reports changes outside the excludes, and not those inside", async () => {
    await writeFile(join(root, "node_modules/pkg/index.js"), "x");
    await writeFile(join(root, "src/.app.js.swp"), "x");
    await writeFile(join(root, "src/app.js"), "x");
    await waitSeen("src/app.js");
    // Events are delivered in order, so the excluded writes before it would have shown by now.
    expect(seen).toEqual(["src/app.js"]);
  });
  it("reports removals", async () => {
    await rm(join(root, "src/app.js"));
    await waitSeen("src/app.js", 2);
    expect(count("src/app.js")).toBe(2);
  });
});
