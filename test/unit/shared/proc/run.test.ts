import { describe, expect, it } from "vitest";
import { CommandError } from "../../../../shared/errors.js";
import { run, tail } from "../../../../shared/proc/run.js";

describe("run", () => {
  it("returns stdout and stderr of a successful command", async () => {
    const r = await run(["sh", "-c", "echo out; echo err >&2"]);
    expect(r).toMatchObject({ exitCode: 0, stdout: "out\n", stderr: "err\n" });
  });

  it("throws CommandError with argv, exit code and stderr tail", async () => {
    const err = await run(["sh", "-c", "echo boom >&2; exit 3"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).message).toBe("command failed (exit 3): sh -c echo boom >&2; exit 3: boom");
    expect((err as CommandError).exit).toBe(3);
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
