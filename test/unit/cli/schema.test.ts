// The real `asg-release schema` command, run as a process: the list, one schema, an unknown name.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["bin/asg-release.js", "schema", ...args],
      { cwd: root },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe("asg-release schema", { timeout: 60_000 }, () => {
  it("lists the names without one", async () => {
    const result = await run();
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n").map((line) => line.split(" ")[0])).toEqual([
      "server",
      "agent",
      "model",
      "environment",
      "",
    ]);
  });

  it("prints the schema of schemas/", async () => {
    const result = await run("environment");
    expect(result).toEqual({
      code: 0,
      stdout: readFileSync(`${root}schemas/environment.schema.json`, "utf8"),
      stderr: "",
    });
  });

  it("exits 2 on an unknown name, listing the names", async () => {
    const result = await run("servr");
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Allowed choices are server, agent, model, environment.");
  });
});
