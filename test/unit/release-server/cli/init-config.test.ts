// `asg-release-server init --config X` reads X: the daemon declares --config too, and options after a
// subcommand belong to it (a run as a process, on a file that fails to parse before any AWS call).
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../../", import.meta.url));

it("init reads the file its own --config names", { timeout: 60_000 }, async () => {
  const file = join(mkdtempSync(join(tmpdir(), "init-config-")), "server.yaml");
  writeFileSync(file, "bogus: [\n");
  const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["bin/asg-release-server.js", "init", "--config", file],
      { cwd: root },
      (err, _stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stderr }),
    );
  });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(`${file}:`);
  expect(result.stderr).not.toContain("/etc/asg-release/server.yaml");
});
