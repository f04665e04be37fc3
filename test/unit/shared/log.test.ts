import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { AsgReleaseError } from "../../../shared/errors.js";
import { createLogger, logOp } from "../../../shared/log.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, log: createLogger({ name: "test", destination }) };
}

describe("logOp", () => {
  it("logs a start line and a done line with the duration, and returns the result", async () => {
    const { lines, log } = capture();
    expect(await logOp(log, "sync", async () => 42, { releaseId: "r1" })).toBe(42);
    expect(lines.map((l) => l.msg)).toEqual(["sync: start", "sync: done"]);
    expect(lines[0]).toMatchObject({ name: "test", level: 30, op: "sync", releaseId: "r1" });
    expect(lines[0]).not.toHaveProperty("durationMs");
    expect(lines[1]).toMatchObject({ level: 30, op: "sync", releaseId: "r1" });
    expect(lines[1]!.durationMs).toEqual(expect.any(Number));
  });

  it("logs a failed line with the error and its duration, and rethrows", async () => {
    const { lines, log } = capture();
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
