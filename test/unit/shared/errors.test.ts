import { describe, expect, it } from "vitest";
import { ConfigError, formatIssue } from "#shared/errors.js";

describe("formatIssue", () => {
  it("starts with FILE:LINE:COLUMN: then the key path and the message", () => {
    expect(
      formatIssue({
        file: "env.yaml",
        line: 3,
        column: 5,
        path: "vpc",
        message: "expected a string",
        severity: "error",
      }),
    ).toBe("env.yaml:3:5: vpc: expected a string");
  });
  it("marks warnings", () => {
    expect(
      formatIssue({
        file: "m.yaml",
        line: 1,
        column: 1,
        path: "",
        message: "env is not mapped",
        severity: "warning",
      }),
    ).toBe("m.yaml:1:1: warning: env is not mapped");
  });
  it("ConfigError exits 2 and lists only errors in its message", () => {
    const err = new ConfigError([
      { file: "a", line: 1, column: 1, path: "x", message: "bad", severity: "error" },
      { file: "a", line: 2, column: 1, path: "y", message: "meh", severity: "warning" },
    ]);
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe("a:1:1: x: bad");
  });
});
