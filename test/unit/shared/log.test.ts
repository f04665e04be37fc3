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

describe("redaction", () => {
  const SECRET = "s3cret-value-never-logged";

  it.each([
    ["a token", { token: SECRET }],
    ["a password one level down", { registry: { password: SECRET } }],
    ["AWS credentials", { credentials: { accessKeyId: "AKIA", secretAccessKey: SECRET } }],
    ["a private key", { key: { privateKey: SECRET } }],
    ["an Authorization header", { req: { headers: { authorization: `Bearer ${SECRET}` } } }],
    ["headers on the line", { headers: { authorization: `Bearer ${SECRET}`, cookie: SECRET } }],
    ["an AWS session token header", { request: { headers: { "x-amz-security-token": SECRET } } }],
    ["a container environment", { env: { API_KEY: SECRET } }],
    ["an agent configuration's container environment", { config: { container: { env: { K: SECRET } } } }],
  ])("hides %s", (_what, fields) => {
    const { lines, log } = captureLog();
    log.info(fields, "something happened");
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain(SECRET);
    expect(text).toContain("[redacted]");
    expect(lines[0]!.msg).toBe("something happened");
  });

  it("keeps what is not a secret", () => {
    const { lines, log } = captureLog();
    log.info({ releaseId: "r1", headers: { "content-type": "text/plain" } }, "ok");
    expect(lines[0]).toMatchObject({ releaseId: "r1", headers: { "content-type": "text/plain" } });
  });
});
