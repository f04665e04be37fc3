// The agent as it ships: the single executables (the host's, and the arm64 one under qemu-user-static),
// their CLI contract (exit 2 on bad config), the systemd unit (systemd-analyze verify) and the
// cloud-init template (cloud-init schema).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeStatus, type AgentStatus } from "../../agent/state.js";
import { IMAGE_ID_PLACEHOLDER, parseAgentConfig } from "#shared/config/agent.js";
import { ConfigError } from "#shared/errors.js";
import pkg from "../../package.json" with { type: "json" };
import { RunInstancesCommand } from "@aws-sdk/client-ec2";
import { startSim } from "../../sim/index.js";
import { DEBIAN_12_AMI } from "../../sim/services/ec2/seed.js";
import { simClients } from "../support/sim.js";
import { unitWithStandIn } from "../support/systemd.js";
import { imdsFor } from "../support/agent.js";
import { pinnedNode } from "../../scripts/build/node-binary.js";
import { runnerFor } from "../../scripts/build/targets.js";
import { agentExecutable, buildInDist } from "../support/agent-build.js";

const exec = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");
let agentBin: string;
const arm64Bin = join(root, "dist", "asg-release-agent-linux-arm64");
/** The Node version the executables embed: the pinned node-linux-* packages. */
const embeddedNode = pinnedNode(root, "x64").version;
const unitFile = join(root, "systemd", "asg-release-agent.service");
const template = join(root, "cloud-init", "agent.yaml");

/**
 * The agent's metadata service, for runs that fail on their configuration and then look for the
 * launch hook: a loopback port nothing listens on, so they learn at once there is none.
 */
const noImds = { ...process.env, AWS_EC2_METADATA_SERVICE_ENDPOINT: "http://127.0.0.1:9" };

/** Runs a command and resolves its exit code and output, failing or not. */
async function runCode(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(file, args, { env: { ...env, NO_COLOR: "1" } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "agent-pkg-"));
  // bin/build-agent.js, run once for this source tree and shared with the other test files.
  agentBin = await agentExecutable();
  await buildInDist(["bin/build-agent.js", "--arch", "arm64"]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A configuration with three mistakes, and what the agent must say about each. */
async function badConfig(): Promise<{ file: string; expected: string[] }> {
  const file = join(dir, "bad.yaml");
  // The status file in the test's folder: a bad configuration is reported there too.
  await writeFile(
    file,
    `project: shop\npointer: {}\ncontainer:\n  image: "{{image_id}}"\nstatus_file: ${join(dir, "bad-status.json")}\n`,
  );
  return {
    file,
    expected: [
      `${file}:2:10: pointer: expected \`url\` (the release server) or \`s3\``,
      `${file}:4:10: container.image: {{image_id}} was not replaced`,
      `${file}:1:1: readiness: missing`,
    ],
  };
}

describe("the single executable", () => {
  it("prints its version, the Node it embeds and its architecture; its code cache is accepted", async () => {
    const r = await runCode(agentBin, ["--version"]);
    expect(r.stdout.trim()).toBe(
      `asg-release-agent ${pkg.version} (node v${embeddedNode}, linux-${process.arch})`,
    );
    expect(r.stdout).toContain("node v24");
    // Node prints this when the embedded code cache was made by another node binary.
    expect(r.stderr).not.toContain("Code cache data rejected");
    expect(r.stderr).toBe("");
  });

  it("exits 2 with the file, line and column of a bad config, and says so in the status file", async () => {
    const bad = await badConfig();
    const r = await runCode(agentBin, ["boot", "--config", bad.file], noImds);
    expect(r.code).toBe(2);
    for (const line of bad.expected) expect(r.stderr).toContain(line);
    // No metadata service, so no launch hook to abandon; the failure is recorded all the same.
    const status = JSON.parse(await readFile(join(dir, "bad-status.json"), "utf8")) as AgentStatus;
    expect(status).toMatchObject({ state: "failed", step: "config", exitCode: 2, lifecycle: "none" });
    expect(r.stdout).toContain("could not abandon the launch lifecycle action");
  });

  it("gives no warning about its Node version: the runtime it carries is current", async () => {
    const sim = await startSim({ hostKind: "light" });
    const aws = simClients(sim);
    try {
      const launched = await aws.ec2.send(
        new RunInstancesCommand({
          ImageId: DEBIAN_12_AMI,
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
        }),
      );
      const imds = await imdsFor(sim, aws, launched.Instances![0]!.InstanceId!);
      const config = join(dir, "quiet.yaml");
      // No release server: the boot fails at the pointer, after the AWS clients are made.
      await writeFile(
        config,
        `project: shop
pointer: {url: "http://127.0.0.1:9", timeout: 1, attempt_timeout: 1}
container: {image: "reg/web:1"}
readiness: {check: {tcp: {port: 8080}}}
`,
      );
      // Nothing turns the SDK's warning off: it would show on a runtime the SDK is leaving behind.
      const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _, ...env } = process.env;
      const r = await runCode(agentBin, ["boot", "--config", config], {
        ...env,
        ...sim.env(),
        AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.endpoint,
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/"msg":"pointer: failed"|no usable release pointer/);
      expect(r.stderr).not.toContain("NodeVersionSupportWarning");
      expect(r.stderr).not.toMatch(/Node\.js|node version/i);
      await imds.close();
    } finally {
      aws.destroy();
      await sim.stop();
    }
  });

  it("exits 2 for a missing config file too", async () => {
    const r = await runCode(agentBin, ["boot", "--config", join(dir, "none.yaml")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cannot read the file: no such file");
  });

  it("prints the status file for people and as JSON; exit 0 only when ready", async () => {
    const file = join(dir, "status.json");
    const status: AgentStatus = {
      state: "failed",
      startedAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:01.000Z",
      version: pkg.version,
      step: "pointer",
      reason: "no usable release pointer",
      warnings: [],
      steps: [],
    };
    await writeStatus(file, status);
    const human = await runCode(agentBin, ["status", "--file", file]);
    expect(human.code).toBe(1);
    expect(human.stdout.split("\n")[0]).toBe("failed in step pointer: no usable release pointer");
    const json = await runCode(agentBin, ["status", "--json", "--file", file]);
    expect(JSON.parse(json.stdout)).toEqual(status);
    await writeStatus(file, { ...status, state: "ready", releaseId: "r1" });
    expect((await runCode(agentBin, ["status", "--file", file])).code).toBe(0);
  });

  it("runs the same from the TypeScript sources", async () => {
    const r = await runCode(process.execPath, [
      join(root, "bin", "asg-release-agent.js"),
      "boot",
      "--config",
      join(dir, "none.yaml"),
    ]);
    expect(r.code).toBe(2);
  });
});

// The arm64 executable runs here under qemu-user-static, called explicitly (no binfmt_misc needed),
// with the Debian cross runtime for its libc and libstdc++.
describe("the arm64 executable under qemu", () => {
  const arm64 = (args: string[]) => {
    const [file, ...prefix] = [...runnerFor("arm64"), arm64Bin];
    return runCode(file!, [...prefix, ...args], noImds);
  };

  it("prints node v24 and arm64; its code cache, made by the arm64 node, is accepted", async () => {
    const r = await arm64(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`asg-release-agent ${pkg.version} (node v${embeddedNode}, linux-arm64)`);
    expect(r.stdout).toContain("node v24");
    expect(r.stderr).not.toContain("Code cache data rejected");
  });

  it("exits 2 with the file, line and column of a bad config", async () => {
    const bad = await badConfig();
    const r = await arm64(["boot", "--config", bad.file]);
    expect(r.code).toBe(2);
    for (const line of bad.expected) expect(r.stderr).toContain(line);
  });
});

describe("systemd unit", () => {
  it("passes systemd-analyze verify", async () => {
    const unit = await unitWithStandIn(dir, unitFile, "asg-release-agent");
    const r = await runCode("systemd-analyze", ["verify", unit]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("keeps the exit-code contract: bad config is not restarted", async () => {
    const unit = await readFile(unitFile, "utf8");
    expect(unit).toMatch(/^Type=notify$/m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^RestartPreventExitStatus=2$/m);
  });
});

describe("cloud-init template", () => {
  it("passes cloud-init schema", async () => {
    const r = await runCode("cloud-init", ["schema", "--config-file", template]);
    expect(r.stdout + r.stderr).toContain("Valid cloud-config");
    expect(r.code).toBe(0);
  });

  const files = async () => {
    const doc = parse(await readFile(template, "utf8")) as {
      write_files: { path: string; content: string }[];
    };
    return new Map(doc.write_files.map((f) => [f.path, f.content]));
  };

  it("carries the same unit as systemd/", async () => {
    expect((await files()).get("/etc/systemd/system/asg-release-agent.service")).toBe(
      await readFile(unitFile, "utf8"),
    );
  });

  it("writes an agent config that is valid once the deploy path substitutes the image", async () => {
    const config = (await files()).get("/etc/asg-release/agent.yaml") ?? "";
    expect(config).toContain(IMAGE_ID_PLACEHOLDER);
    expect(() => parseAgentConfig("agent.yaml", config)).toThrow(ConfigError);
    const c = parseAgentConfig(
      "agent.yaml",
      config.replace(IMAGE_ID_PLACEHOLDER, "r.example/shop/web:1.2.3"),
    );
    expect(c.container.image).toBe("r.example/shop/web:1.2.3");
  });
});
