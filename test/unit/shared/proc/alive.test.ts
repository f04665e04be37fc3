import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { isAlive } from "#shared/proc/alive.js";

describe("isAlive", () => {
  it("is true for this process", () => expect(isAlive(process.pid)).toBe(true));

  it("is false for a process that has exited", () => {
    const child = spawnSync("true");
    expect(child.status).toBe(0);
    expect(isAlive(child.pid)).toBe(false);
  });
});
