// The server executable as it ships (npm run build:server): one multi-call binary per architecture
// that is the CLI as `asg-release` and the daemon as `asg-release-server`; the arm64 one runs here
// under qemu-user-static.
import { execFile } from "node:child_process";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pkg from "../../package.json" with { type: "json" };
import { runnerFor } from "../../scripts/build/targets.js";
import { buildInDist } from "../support/agent-build.js";

const exec = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");
const executable = (arch: string) => join(root, "dist", `asg-release-linux-${arch}`);

/** Runs a command and resolves its exit code and output, failing or not. */
async function runCode(
  file: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(file, args, { env: { ...process.env, NO_COLOR: "1" } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "server-exe-"));
  await buildInDist(["bin/build-server.js"]);
  // Installed the way a package does it: the executable as asg-release, the daemon a link to it.
  await symlink(executable(process.arch), join(dir, "asg-release"));
  await symlink("asg-release", join(dir, "asg-release-server"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe(`the ${process.arch} executable`, () => {
  it("is the CLI as asg-release", async () => {
    const version = await runCode(join(dir, "asg-release"), ["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toContain(pkg.version);
    expect(version.stderr).toBe("");
    const help = await runCode(join(dir, "asg-release"), ["--help"]);
    expect(help.stdout).toMatch(/^Usage: asg-release \[options\] \[command\]/);
  });

  it("is the daemon as asg-release-server", async () => {
    const version = await runCode(join(dir, "asg-release-server"), ["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toContain(pkg.version);
    expect(version.stderr).toBe("");
    const help = await runCode(join(dir, "asg-release-server"), ["--help"]);
    expect(help.stdout).toMatch(/^Usage: asg-release-server \[options\] \[command\]/);
  });

  it("keeps the CLI's exit code for bad input", async () => {
    const r = await runCode(join(dir, "asg-release"), ["validate"]);
    expect(r.code).toBe(2);
  });
});

// qemu is called explicitly (no binfmt_misc needed); its -0 sets the name the program sees as argv0.
describe("the arm64 executable under qemu", () => {
  const arm64 = (name: string, args: string[]) => {
    const runner = runnerFor("arm64");
    const [file, ...rest] = runner.length
      ? [...runner, "-0", name, executable("arm64")]
      : [executable("arm64")];
    return runCode(file!, [...rest, ...args]);
  };

  it("prints its version as asg-release and as asg-release-server", async () => {
    for (const name of ["asg-release", "asg-release-server"]) {
      const r = await arm64(name, ["--version"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(pkg.version);
      expect(r.stderr).not.toContain("Code cache data rejected");
    }
  });

  it.runIf(process.arch !== "arm64")("is the daemon as asg-release-server", async () => {
    const help = await arm64("asg-release-server", ["--help"]);
    expect(help.stdout).toMatch(/^Usage: asg-release-server \[options\] \[command\]/);
  });
});
