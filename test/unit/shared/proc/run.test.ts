import { mkdtemp, open, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CommandError } from "#shared/errors.js";
import { isAlive } from "#shared/proc/alive.js";
import { run, start, tail } from "#shared/proc/run.js";

describe("run", () => {
  it("returns stdout and stderr of a successful command", async () => {
    const r = await run(["sh", "-c", "echo out; echo err >&2"]);
    expect(r).toMatchObject({ exitCode: 0, stdout: "out\n", stderr: "err\n" });
  });

  it("throws CommandError with the program, exit code and stderr tail, never the arguments", async () => {
    const err = await run(["sh", "-c", "echo boom >&2; exit 3", "s3cret-arg"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).message).toBe("command failed (exit 3): sh: boom");
    expect((err as CommandError).exit).toBe(3);
    // Logged errors are serialized with their own properties: none may carry the argv.
    expect(JSON.stringify(err)).not.toContain("s3cret-arg");
    expect(JSON.stringify(err)).not.toContain("echo boom");
  });

  it("names the command as the caller says, and a program by its file name", async () => {
    const named = await run(["sh", "-c", "exit 4", "--env", "K=v"], { command: "sh run" }).catch(
      (e: unknown) => e,
    );
    expect((named as CommandError).message).toBe("command failed (exit 4): sh run");
    const path = await run(["/bin/sh", "-c", "exit 5"]).catch((e: unknown) => e);
    expect((path as CommandError).message).toBe("command failed (exit 5): sh");
  });

  it("accepts exit codes that are answers", async () => {
    const r = await run(["sh", "-c", "exit 2"], { okExitCodes: [0, 2] });
    expect(r.exitCode).toBe(2);
  });

  it("says when the program is not installed", async () => {
    const err = (await run(["no-such-program-asg"]).catch((e: unknown) => e)) as CommandError;
    expect(err.message).toContain("ENOENT");
  });

  it("kills a command that runs past its timeout", async () => {
    const err = (await run(["sleep", "30"], { timeoutMs: 50 }).catch((e: unknown) => e)) as CommandError;
    expect(err.message).toContain("timed out after 50 ms");
  });

  it("passes input and environment", async () => {
    const r = await run(["sh", "-c", 'cat; echo "$X"'], { input: "in\n", env: { X: "x" } });
    expect(r.stdout).toBe("in\nx\n");
  });
});

describe("tail", () => {
  it("keeps the end of long output", () => {
    expect(tail("abcdef", 3)).toBe("...def");
    expect(tail("  short \n")).toBe("short");
  });
});

describe("start", () => {
  it("captures the output and exit code of a process that runs alongside", async () => {
    const p = start(["sh", "-c", "echo out; echo err >&2; exit 3"], { output: "capture" });
    expect(p.pid).toBeGreaterThan(0);
    expect(await p.done).toMatchObject({ exitCode: 3, stdout: "out\n", stderr: "err\n" });
    expect(p.ended).toBe(true);
  });

  it("reports a kill as a signal, without rejecting", async () => {
    const p = start(["sleep", "30"]);
    expect(p.ended).toBe(false);
    p.kill("SIGKILL");
    expect(await p.done).toMatchObject({ exitCode: undefined, signal: "SIGKILL" });
  });

  it("says why a program could not start", async () => {
    const ended = await start(["no-such-program-asg"]).done;
    expect(ended.exitCode).toBeUndefined();
    expect(ended.reason).toContain("ENOENT");
  });

  it("replaces the environment when asked", async () => {
    const p = start(["/bin/sh", "-c", 'echo "$X:$HOME"'], {
      env: { X: "x" },
      replaceEnv: true,
      output: "capture",
    });
    expect((await p.done).stdout).toBe("x:\n");
  });

  it("writes output to a file descriptor, and a detached process outlives its starter", async () => {
    const dir = await mkdtemp(join(tmpdir(), "start-test-"));
    const log = join(dir, "log");
    const fh = await open(log, "a");
    try {
      await start(["sh", "-c", "echo out; echo err >&2"], { output: fh.fd }).done;
      expect(await readFile(log, "utf8")).toBe("out\nerr\n");
      // A node process starts a detached sleep, lets it go and exits at once.
      const runTs = join(import.meta.dirname, "..", "..", "..", "..", "shared", "proc", "run.ts");
      const script =
        `const { openSync } = await import("node:fs");` +
        `const { start } = await import(${JSON.stringify(runTs)});` +
        `const p = start(["sleep", "30"], { detached: true, output: openSync(${JSON.stringify(log)}, "a") });` +
        `p.unref(); console.log(p.pid);`;
      const starter = await run([process.execPath, "--import", "tsx", "--input-type=module", "-e", script], {
        timeoutMs: 25_000,
      });
      const pid = Number(starter.stdout.trim());
      expect(isAlive(pid)).toBe(true);
      // Its own process group: a signal to the starter's group does not reach it.
      const pgid = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ")[2];
      expect(Number(pgid)).toBe(pid);
      process.kill(pid, "SIGKILL");
    } finally {
      await fh.close();
      await rm(dir, { recursive: true, force: true });
    }
    // A node process with tsx takes seconds to start on a busy machine.
  }, 30_000);
});
