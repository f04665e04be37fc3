import { describe, expect, it } from "vitest";
import { AsgReleaseError } from "#shared/errors.js";
import { logOp } from "#shared/log.js";
import { captureLog } from "../../support/log-lines.js";

describe("logOp", () => {
  it("logs a start line and a done line with the duration, and returns the result", async () => {
    const { lines, log } = captureLog();
    expect(await logOp(log, "sync", async () => 42, { releaseId: "r1" })).toBe(42);
    expect(lines.map((l) => l.msg)).toEqual(["sync: start", "sync: done"]);
    expect(lines[0]).toMatchObject({ name: "test", level: 30, op: "sync", releaseId: "r1" });
    expect(lines[0]).not.toHaveProperty("durationMs");
    expect(lines[1]).toMatchObject({ level: 30, op: "sync", releaseId: "r1" });
    expect(lines[1]!.durationMs).toEqual(expect.any(Number));
  });

  it("logs a failed line with the error and its duration, and rethrows", async () => {
    const { lines, log } = captureLog();
    const boom = new AsgReleaseError("boom", { code: "Boom", context: { volumeId: "vol-1" } });
    await expect(logOp(log, "attach", () => Promise.reject(boom), { volumeId: "vol-1" })).rejects.toBe(boom);
    expect(lines.map((l) => l.msg)).toEqual(["attach: start", "attach: failed"]);
    expect(lines[1]).toMatchObject({
      level: 50,
      op: "attach",
      volumeId: "vol-1",
      err: { message: "boom", code: "Boom", context: { volumeId: "vol-1" } },
    });
    expect(lines[1]!.durationMs).toEqual(expect.any(Number));
  });
});
