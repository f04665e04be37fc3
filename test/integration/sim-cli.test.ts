// `asg-release sim start --daemon | status | stop` as an operator runs it, with the AWS CLI in between.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const cli = (args: string[]) => run(process.execPath, ["bin/asg-release.js", ...args], { env: process.env });

describe("asg-release sim", () => {
  it("starts a daemon the AWS CLI can use, reports it, and stops it leaving nothing", async () => {
    const stateDir = join(await mkdtemp(join(tmpdir(), "sim-cli-")), "state");
    const started = await cli([
      "sim",
      "start",
      "--daemon",
      "--hosts",
      "light",
      "--port",
      "0",
      "--state-dir",
      stateDir,
    ]);
    expect(started.stdout).toMatch(/^local region at http:\/\/127\.0\.0\.1:\d+ \(pid \d+\)$/m);
    const status = JSON.parse((await cli(["sim", "status", "--json", "--state-dir", stateDir])).stdout) as {
      running: boolean;
      endpoint: string;
    };
    expect(status.running).toBe(true);
    const { stdout } = await run(
      "aws",
      ["--endpoint-url", status.endpoint, "--output", "json", "ec2", "describe-regions"],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: "x",
          AWS_SECRET_ACCESS_KEY: "y",
          AWS_DEFAULT_REGION: "us-east-1",
          AWS_CONFIG_FILE: "/dev/null",
        },
      },
    );
    expect(JSON.parse(stdout)).toHaveProperty("Regions");
    expect((await cli(["sim", "stop", "--state-dir", stateDir])).stdout).toBe("stopped\n");
    expect(existsSync(stateDir)).toBe(false);
    await expect(cli(["sim", "status", "--state-dir", stateDir])).rejects.toMatchObject({
      code: 1,
      stdout: "not running\n",
    });
  });
});
