import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HostCommandError } from "../../../../sim/hosts/errors.js";
import { run, runToLog, start } from "../../../../sim/hosts/proc/run.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sim-run-test-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the sim's process runner", () => {
  it("runs a command to completion with its output, and throws HostCommandError on failure", async () => {
    expect(await run(["sh", "-c", "cat; echo err >&2"], { input: "in\n" })).toEqual({
      exitCode: 0,
      stdout: "in\n",
      stderr: "err\n",
    });
    await expect(run(["sh", "-c", "exit 4"])).rejects.toBeInstanceOf(HostCommandError);
    expect((await run(["sh", "-c", "exit 4"], { reject: false })).exitCode).toBe(4);
  });

  it("appends a command's output to a log and resolves with its exit code", async () => {
    const log = join(dir, "console.log");
    expect(await runToLog(["sh", "-c", "echo one"], log)).toBe(0);
    expect(await runToLog(["sh", "-c", 'echo "two $X" >&2; exit 3'], log, { env: { X: "x" } })).toBe(3);
    expect(await readFile(log, "utf8")).toBe("one\ntwo x\n");
    expect(await runToLog(["no-such-program-sim"], log)).toBeNull();
  });

  it("starts a process that runs alongside, talked to through its pipes", async () => {
    const child = start(["sh", "-c", "read line; echo got $line"], { stdio: ["pipe", "pipe", "ignore"] });
    const out: Buffer[] = [];
    child.stdout!.on("data", (b: Buffer) => out.push(b));
    const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
    child.stdin!.end("hello\n");
    expect(await exited).toBe(0);
    expect(Buffer.concat(out).toString()).toBe("got hello\n");
  });
});
