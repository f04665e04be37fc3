// `npm run build` and what it makes: the three bundles in dist/ run as the executables do (exit codes,
// FILE:LINE:COL on bad configuration), bin/ runs them while they are fresh, and in the bundle the
// commands still load lazily: `--version`, `--help` and `validate` execute no AWS SDK client module.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pkg from "../../package.json" with { type: "json" };
import { bundle, type BundleResult } from "../../scripts/build/bundle.js";
import { buildInDist } from "../support/agent-build.js";

const exec = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");
const dist = join(root, "dist");
const fixtures = "test/fixtures/config";

/** Runs node with `args` in the repository; resolves its exit code and output, failing or not. */
async function node(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, args, {
      cwd: root,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("npm run build", () => {
  beforeAll(async () => {
    await buildInDist(["bin/build.js"]);
  });

  it("makes bundles that answer --version and --help", async () => {
    expect(await node([join(dist, "asg-release.cjs"), "--version"])).toEqual({
      code: 0,
      stdout: `${pkg.version}\n`,
      stderr: "",
    });
    const server = await node([join(dist, "asg-release-server.cjs"), "--help"]);
    expect(server.code).toBe(0);
    expect(server.stdout).toContain("Usage: asg-release-server");
    expect(server.stdout).toContain("init [options]");
    const agent = await node([join(dist, "agent.cjs"), "--help"]);
    expect(agent.code).toBe(0);
    expect(agent.stdout).toContain("Usage: asg-release-agent");
  });

  it("makes a CLI whose validate exits 2 with FILE:LINE:COL on a bad file", async () => {
    const result = await node([
      join(dist, "asg-release.cjs"),
      "validate",
      "--env",
      `${fixtures}/invalid/env.yaml`,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${fixtures}/invalid/env.yaml:4:9: launch_config.type: expected a string, got a number\n`,
    );
    const good = await node([
      join(dist, "asg-release.cjs"),
      "validate",
      "--env",
      `${fixtures}/valid/env.yaml`,
    ]);
    expect(good).toMatchObject({ code: 0, stdout: expect.stringMatching(/^valid: environment /) as string });
  });

  it("bin/ runs the fresh bundle, and the sources when asked to", async () => {
    // The module log sees tsx only when the sources run (the bundle is loaded with require()).
    const log = await mkdtemp(join(tmpdir(), "asg-release-build-"));
    try {
      const loaded = async (env: NodeJS.ProcessEnv, name: string) => {
        const file = join(log, name);
        const run = await node(
          ["--import", "./test/support/module-log.js", "bin/asg-release.js", "--version"],
          {
            ...env,
            MODULE_LOG: file,
          },
        );
        expect(run).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
        return (await readFile(file, "utf8").catch(() => "")).includes("/tsx/");
      };
      expect(await loaded({ ASG_RELEASE_FROM_SOURCE: "0" }, "bundle")).toBe(false);
      expect(await loaded({ ASG_RELEASE_FROM_SOURCE: "1" }, "sources")).toBe(true);
    } finally {
      await rm(log, { recursive: true, force: true });
    }
  });
});

describe("lazy commands in the bundle", () => {
  // A readable build of the same entry keeps each module's lazy initialiser named after its path;
  // V8's precise coverage (NODE_V8_COVERAGE) then says which of them ran.
  let dir: string;
  let built: BundleResult;
  let clientModules: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "asg-release-lazy-"));
    built = await bundle({
      root,
      entry: "cli/main.ts",
      outfile: join(dir, "asg-release.cjs"),
      minify: false,
    });
    clientModules = built.modules.filter((m) => m.includes("/@aws-sdk/client-"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** The SDK client modules whose initialiser ran in `asg-release args`. */
  async function clientsRun(...args: string[]): Promise<string[]> {
    const coverage = await mkdtemp(join(dir, "coverage-"));
    await node([join(dir, "asg-release.cjs"), ...args], { NODE_V8_COVERAGE: coverage });
    const ran = new Set<string>();
    for (const file of await readdir(coverage)) {
      const report = JSON.parse(await readFile(join(coverage, file), "utf8")) as {
        result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[];
      };
      for (const script of report.result.filter((s) => s.url.endsWith("/asg-release.cjs")))
        for (const fn of script.functions) if (fn.ranges[0]!.count > 0) ran.add(fn.functionName);
    }
    return clientModules.filter((m) => ran.has(m));
  }

  it("wraps every SDK client module in a lazy initialiser", async () => {
    expect(clientModules.length).toBeGreaterThan(0);
    const text = await readFile(join(dir, "asg-release.cjs"), "utf8");
    expect(clientModules.filter((m) => !text.includes(`${JSON.stringify(m)}(`))).toEqual([]);
  });

  it("runs none of them for --version, --help and validate", async () => {
    expect(await clientsRun("--version")).toEqual([]);
    expect(await clientsRun("--help")).toEqual([]);
    expect(await clientsRun("validate", "--env", `${fixtures}/valid/env.yaml`)).toEqual([]);
  });

  it("runs them for a command that talks to AWS", async () => {
    // plan without --model stops after loading its implementation, before any AWS call.
    expect(await clientsRun("plan", "--env", `${fixtures}/valid/env.yaml`, "--project", "shop")).not.toEqual(
      [],
    );
  });
});
