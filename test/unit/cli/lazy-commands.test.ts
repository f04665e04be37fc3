// The commands load their implementation in their action: `--help`, `--version` and `validate` load no
// AWS SDK client. Each run records every module the ESM loader resolves (test/support/module-log.js);
// a command that does use a client shows the record catches one.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "asg-release-modules-"));
const valid = "test/fixtures/config/valid";
let runs = 0;

/** The modules `bin/<bin>.js args` loaded, as paths under the repository or node_modules. */
function modulesOf(bin: string, ...args: string[]): Promise<string[]> {
  const log = join(dir, `${++runs}.log`);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "./test/support/module-log.js", `bin/${bin}.js`, ...args],
      { cwd: root, env: { ...process.env, ASG_RELEASE_FROM_SOURCE: "1", MODULE_LOG: log } },
      (err) => {
        // Exit codes do not matter here: what was loaded on the way does.
        void err;
        try {
          resolve(readFileSync(log, "utf8").trim().split("\n"));
        } catch (e) {
          reject(e as Error);
        }
      },
    );
  });
}

const clients = (modules: string[]) => modules.filter((m) => m.includes("/@aws-sdk/client-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("lazy commands", { timeout: 60_000 }, () => {
  it("asg-release --version, --help and validate load no SDK client", async () => {
    for (const args of [
      ["--version"],
      ["--help"],
      ["validate", "--env", `${valid}/env.yaml`, "--model", `${valid}/model.yaml`],
    ]) {
      const modules = await modulesOf("asg-release", ...args);
      expect(modules.some((m) => m.endsWith("/cli/main.ts"))).toBe(true);
      expect(clients(modules), args.join(" ")).toEqual([]);
    }
  });

  it("asg-release-server --version and --help load no SDK client", async () => {
    for (const args of [["--version"], ["--help"], ["init", "--help"]]) {
      expect(clients(await modulesOf("asg-release-server", ...args)), args.join(" ")).toEqual([]);
    }
  });

  it("a command that talks to AWS does load its clients", async () => {
    // plan without --model stops after loading its implementation, before any AWS call.
    const modules = await modulesOf("asg-release", "plan", "--env", `${valid}/env.yaml`, "--project", "shop");
    expect(clients(modules)).not.toEqual([]);
  });
});
