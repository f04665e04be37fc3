// The real `asg-release validate` command, run as a process: exit codes, stdout and stderr lines.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const fixtures = "test/fixtures/config";

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["bin/asg-release.js", "validate", ...args],
      { cwd: root },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe("asg-release validate", { timeout: 60_000 }, () => {
  it("exits 0 with a one-line summary and warnings on stderr", async () => {
    const result = await run(
      "--env",
      `${fixtures}/valid/env.yaml`,
      "--env",
      `${fixtures}/valid/prod.yaml`,
      "--model",
      `${fixtures}/valid/model.yaml`,
      "--project",
      "shop",
    );
    expect(result).toEqual({
      code: 0,
      stdout: `valid: environment ${fixtures}/valid/env.yaml + ${fixtures}/valid/prod.yaml (launch templates, 1 lb binding); model ${fixtures}/valid/model.yaml (2 components, 1 gateway); project shop; 1 warning\n`,
      stderr: `${fixtures}/valid/model.yaml:8:5: warning: components.back.provides: not mapped to EC2 by the ec2-asg plugin; ignored\n`,
    });
  });

  it("exits 2 with one line per problem, across files", async () => {
    const result = await run(
      "--env",
      `${fixtures}/invalid/env.yaml`,
      "--model",
      `${fixtures}/invalid/model.yaml`,
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")).toEqual([
      `${fixtures}/invalid/env.yaml:4:9: launch_config.type: expected a string, got a number`,
      `${fixtures}/invalid/env.yaml:7:1: vcp: unknown key; did you mean "vpc"?`,
      `${fixtures}/invalid/model.yaml:5:28: components.back.image: undefined variable "TAG": define it under vars in an environment file, or write \${TAG-default}`,
      "",
    ]);
  });

  it("exits 2 on usage errors", async () => {
    const missing = await run("--model", `${fixtures}/valid/model.yaml`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("error: required option '--env <file>' not specified");
    const badProject = await run("--env", `${fixtures}/valid/env.yaml`, "--project", "my shop");
    expect(badProject.code).toBe(2);
    expect(badProject.stderr).toContain(
      `error: option '--project <name>' argument 'my shop' is invalid. expected letters, digits, "-" and "_", starting with a letter or digit, got "my shop"`,
    );
  });

  it("checks the release server's and the agent's configuration, alone or with the rest", async () => {
    const d = `${fixtures}/daemons`;
    expect(await run("--server", `${d}/server.yaml`)).toEqual({
      code: 0,
      stdout: `valid: server ${d}/server.yaml (project shop, listen 127.0.0.1:8700)\n`,
      stderr: "",
    });
    expect(await run("--agent", `${d}/agent.yaml`)).toEqual({
      code: 0,
      stdout: `valid: agent ${d}/agent.yaml (project shop, container app)\n`,
      stderr: "",
    });
    const all = await run(
      "--env",
      `${fixtures}/valid/env.yaml`,
      "--server",
      `${d}/server.yaml`,
      "--agent",
      `${d}/agent.yaml`,
    );
    expect(all.code).toBe(0);
    expect(all.stdout).toBe(
      `valid: environment ${fixtures}/valid/env.yaml (launch templates, 2 lb bindings); server ${d}/server.yaml (project shop, listen 127.0.0.1:8700); agent ${d}/agent.yaml (project shop, container app)\n`,
    );
  });

  it("exits 2 with FILE:LINE:COL for each problem of server.yaml and agent.yaml", async () => {
    const d = `${fixtures}/daemons`;
    const result = await run("--server", `${d}/bad-server.yaml`, "--agent", `${d}/bad-agent.yaml`);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")).toEqual([
      `${d}/bad-server.yaml:1:10: project: expected a project name of letters, digits, "-" and "_", got "my shop"`,
      `${d}/bad-server.yaml:6:8: ssh.key: expected an absolute path like "/release", got "id_ed25519"`,
      `${d}/bad-server.yaml:9:3: listen.prot: unknown key; did you mean "port"?`,
      `${d}/bad-agent.yaml:7:8: container.cli: expected one of "docker" or "podman", got "nerdctl"`,
      `${d}/bad-agent.yaml:13:3: volume.throughput: only gp3 volumes take a throughput`,
      "",
    ]);
    const missing = await run("--agent", `${d}/absent.yaml`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`${d}/absent.yaml:1:1: cannot read the file: no such file\n`);
  });

  it("needs something to check", async () => {
    const none = await run();
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("error: nothing to check: give --env, --server or --agent");
  });
});
