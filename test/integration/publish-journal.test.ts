import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { advance, readJournal, startJournal, writeJournal } from "../../release-server/publish/journal.js";

const t0 = new Date("2025-01-01T00:00:00Z");
const t1 = new Date("2025-01-01T00:00:05Z");

describe("publish journal file", () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
  const tmp = async () => {
    const d = await mkdtemp(join(tmpdir(), "journal-"));
    dirs.push(d);
    return d;
  };

  it("reads back what was written", async () => {
    const path = join(await tmp(), "publish.json");
    const j = advance(startJournal("/release", t0), "synced", { releaseId: "r1" }, t1);
    await writeJournal(path, j);
    expect(await readJournal(path)).toEqual(j);
  });
  it("a missing journal means no publish in progress", async () => {
    expect(await readJournal(join(await tmp(), "none.json"))).toBeUndefined();
  });
  it("an invalid journal is an error naming the file and the way out", async () => {
    const path = join(await tmp(), "publish.json");
    await writeFile(path, "{not json");
    await expect(readJournal(path)).rejects.toThrow(
      `publish journal ${path} is not valid; inspect it, then remove it to start afresh (the next publish re-syncs)`,
    );
  });
  it("is written with mode 0600 and no temporary file left", async () => {
    const dir = await tmp();
    const path = join(dir, "publish.json");
    await writeJournal(path, startJournal("/release", t0));
    expect(await readdir(dir)).toEqual(["publish.json"]);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ step: "started" });
  });
});
