// The publish lock under contention: real processes (8 of them) race for a lock left by a dead
// publisher, round after round; at no point do two of them hold it.
import { fork, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireLock, releaseLock, withLock } from "../../release-server/publish/lock.js";

const CONTENDERS = 8;
const ROUNDS = 30;

let dir: string;
let children: ChildProcess[] = [];

/** A pid that no process has: one that just exited. */
const deadPid = (): number => spawnSync("true").pid;

const staleLock = (token: string) =>
  `${JSON.stringify({ pid: deadPid(), host: hostname(), since: "2025-01-01T00:00:00.000Z", command: "killed publisher", token })}\n`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "publish-lock-"));
  children = Array.from({ length: CONTENDERS }, () =>
    fork(join(import.meta.dirname, "../support/publish-lock-contender.ts"), {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    }),
  );
  await Promise.all(children.map((c) => new Promise((resolve) => c.once("message", resolve))));
});

afterAll(async () => {
  for (const c of children) c.kill();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the publish lock", () => {
  it(`is never held twice: ${ROUNDS} rounds of ${CONTENDERS} processes taking over a dead holder's lock`, async () => {
    const path = join(dir, "publish.lock");
    for (let round = 0; round < ROUNDS; round++) {
      const log = join(dir, `round-${round}.log`);
      await writeFile(log, "");
      await writeFile(path, staleLock(`stale-${round}`));
      const results = await Promise.all(
        children.map(
          (c) =>
            new Promise<string>((resolve) => {
              c.once("message", (m: { result: string }) => resolve(m.result));
              c.send({ round, path, log });
            }),
        ),
      );
      expect(results).toContain("held");
      let holders = 0;
      for (const line of (await readFile(log, "utf8")).split("\n").filter(Boolean)) {
        holders += line.startsWith("enter ") ? 1 : -1;
        expect(holders, `round ${round}: ${line}`).toBeLessThanOrEqual(1);
      }
      expect(holders).toBe(0);
      // Nothing is left behind: no lock, no claim, no temporary file.
      expect((await readdir(dir)).filter((f) => f.startsWith("publish.lock"))).toEqual([]);
    }
  });

  it("appears with its holder in it, and is removed only by that holder", async () => {
    const path = join(dir, "own.lock");
    const me = await acquireLock(path, "first");
    expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ pid: process.pid, command: "first" });
    await expect(acquireLock(path, "second")).rejects.toThrow(
      /^publish lock held by pid \d+ on .* \(first\)/,
    );
    // Someone else's lock at the same name (ours was removed by hand and taken) is not ours to remove.
    await rm(path);
    const other = await acquireLock(path, "other");
    await releaseLock(path, me);
    expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ token: other.token });
    await releaseLock(path, other);
    expect(await readdir(dir)).not.toContain("own.lock");
  });

  it("says whose dead lock it took over, and takes over a lock written before holders had a token", async () => {
    const path = join(dir, "legacy.lock");
    const pid = deadPid();
    await writeFile(
      path,
      `${JSON.stringify({ pid, host: hostname(), since: "2025-01-01T00:00:00.000Z", command: "old" })}\n`,
    );
    const taken: number[] = [];
    await withLock(path, "new", async () => undefined, { onTakeover: (h) => taken.push(h.pid) });
    expect(taken).toEqual([pid]);
  });
});
