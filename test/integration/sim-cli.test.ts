// `asg-release sim start --daemon | status | stop` as an operator runs it, with the AWS CLI in between.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
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
      "--insecure-registry",
      "127.0.0.1:5000",
      "--insecure-registry",
      "docker.io=127.0.0.1:5000",
    ]);
    expect(started.stdout).toMatch(/^# local region at http:\/\/127\.0\.0\.1:\d+ \(pid \d+\); stop it with/m);
    expect(started.stdout).toMatch(/^export AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:\d+$/m);
    expect(started.stdout).toContain("export AWS_ACCESS_KEY_ID=AKIASIMLOCALREGION01\n");
    const status = JSON.parse((await cli(["sim", "status", "--json", "--state-dir", stateDir])).stdout) as {
      running: boolean;
      endpoint: string;
    };
    expect(status.running).toBe(true);
    // The registries reach the daemon, which writes them into every full host's registries.conf.
    const pid = Number(/\(pid (\d+)\)/.exec(started.stdout)![1]);
    expect(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ")).toContain(
      "--insecure-registry 127.0.0.1:5000 --insecure-registry docker.io=127.0.0.1:5000",
    );
    // The export lines alone are enough for the AWS CLI: eval "$(asg-release sim status)".
    const port = new URL(status.endpoint).port;
    for (const args of [
      ["--state-dir", stateDir],
      ["--port", port],
    ]) {
      const { stdout: lines } = await cli(["sim", "status", ...args]);
      expect(lines.split("\n")[0]).toBe(`# running (pid ${pid}) at ${status.endpoint}, state in ${stateDir}`);
      const { stdout: regions } = await run(
        "sh",
        [
          "-c",
          `eval "$(${process.execPath} bin/asg-release.js sim status ${args.join(" ")})" && aws --output json ec2 describe-regions`,
        ],
        {
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            AWS_CONFIG_FILE: "/dev/null",
            AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
          },
        },
      );
      expect(JSON.parse(regions)).toHaveProperty("Regions");
    }
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
