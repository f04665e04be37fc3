// A local region with full hosts killed with SIGKILL cannot clean up after itself: its loop devices,
// files (and whatever its hosts still run) stay. `asg-release sim start` on the same state dir
// reclaims them before starting, and `asg-release sim stop` reclaims them when nothing runs.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAwsClients } from "#shared/aws/clients.js";
import { poll } from "#shared/poll.js";
import { isClean, listOwned } from "../../sim/hosts/owned.js";
import { reclaimStateDir } from "../../sim/hosts/reclaim.js";
import { SIM_CREDENTIALS } from "../../sim/index.js";
import { DEBIAN_12_AMI } from "../../sim/services/ec2/seed.js";
import { makeStateDir } from "../support/state-dir.js";

const exec = promisify(execFile);
const cli = (args: string[]) => exec(process.execPath, ["bin/asg-release.js", ...args], { env: process.env });

let dir: string;
let stateDir: string;
const children: ChildProcess[] = [];

interface Foreground {
  child: ChildProcess;
  endpoint: string;
  stderr: () => string;
}

/** `asg-release sim start --hosts full` in the foreground, as a child process of the test. */
async function startForeground(): Promise<Foreground> {
  const child = spawn(
    process.execPath,
    ["bin/asg-release.js", "sim", "start", "--hosts", "full", "--port", "0", "--state-dir", stateDir],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (b: Buffer) => (stderr += b.toString()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (b: Buffer) => {
      stdout += b.toString();
      const m = /^# local region at (http:\/\/127\.0\.0\.1:\d+) /m.exec(stdout);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`sim start exited (${code}): ${stderr}`)));
  });
  return { child, endpoint, stderr: () => stderr };
}

async function kill9(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGKILL");
  await exited;
}

function waitFor<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  return poll<T>(
    async () => {
      const v = await check();
      return v === undefined ? { state: "RETRY", reason: "not yet" } : { state: "SUCCESS", value: v };
    },
    { what, maxWaitMs: 60_000, minDelayMs: 100, maxDelayMs: 500 },
  );
}

/** A full instance, booted, with an EBS volume attached: a loop device on the machine. */
async function launchWithVolume(endpoint: string): Promise<string> {
  const aws = createAwsClients({
    region: "us-east-1",
    endpoint,
    credentials: SIM_CREDENTIALS,
    maxAttempts: 1,
  });
  try {
    const run = await aws.ec2.send(
      new RunInstancesCommand({ ImageId: DEBIAN_12_AMI, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1 }),
    );
    const id = run.Instances?.[0]?.InstanceId ?? "";
    const zone = await waitFor(`${id} running`, async () => {
      const d = await aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
      const i = d.Reservations?.[0]?.Instances?.[0];
      return i?.State?.Name === "running" ? i.Placement?.AvailabilityZone : undefined;
    });
    await waitFor(`the host of ${id}`, async () =>
      existsSync(join(stateDir, "hosts", id, "host.json")) ? true : undefined,
    );
    const vol = await aws.ec2.send(new CreateVolumeCommand({ AvailabilityZone: zone, Size: 1 }));
    const volumeId = vol.VolumeId ?? "";
    // "in-use" comes with "attaching"; the loop device is bound by "attached".
    const attachment = (): Promise<string | undefined> =>
      aws.ec2
        .send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }))
        .then((d) => d.Volumes?.[0]?.Attachments?.[0]?.State ?? d.Volumes?.[0]?.State);
    await waitFor(`${volumeId} available`, async () =>
      (await attachment()) === "available" ? true : undefined,
    );
    await aws.ec2.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: id, Device: "/dev/sdf" }));
    await waitFor(`${volumeId} attached`, async () =>
      (await attachment()) === "attached" ? true : undefined,
    );
    return id;
  } finally {
    aws.destroy();
  }
}

/** What the machine still holds for the state dir, beyond the given live processes. */
function leftovers(except: number[] = []): ReturnType<typeof listOwned> {
  const owned = listOwned(stateDir);
  return { ...owned, processes: owned.processes.filter((p) => !except.includes(p.pid)) };
}

async function machineMentions(path: string): Promise<string[]> {
  const loops = (await exec("losetup", ["-a"])).stdout.split("\n");
  const mounts = (await readFile("/proc/mounts", "utf8")).split("\n");
  return [...loops, ...mounts].filter((l) => l.includes(path));
}

beforeAll(async () => {
  dir = await makeStateDir("sim-cli-reclaim");
  stateDir = join(dir, "state");
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) await kill9(c);
  if (dir) {
    await reclaimStateDir(dir);
    await rm(dir, { recursive: true, force: true });
  }
});

describe("asg-release sim after a SIGKILL", () => {
  it("start on the same state dir reclaims what the dead local region left, then serves", async () => {
    const first = await startForeground();
    const oldId = await launchWithVolume(first.endpoint);
    await kill9(first.child);

    const left = leftovers();
    expect(left.loopDevices).toHaveLength(1);
    expect(left.files).toEqual([stateDir]);
    expect(existsSync(join(stateDir, "hosts", oldId))).toBe(true);
    await expect(cli(["sim", "status", "--state-dir", stateDir])).rejects.toMatchObject({
      code: 1,
      stdout: `not running; a local region that did not stop left ${stateDir}: \`asg-release sim stop --state-dir ${stateDir}\` cleans it up\n`,
    });

    const second = await startForeground();
    expect(second.stderr()).toMatch(
      new RegExp(
        `^reclaimed what a local region that did not stop left in ${stateDir}: \\d+ process(es)?, \\d+ mounts?, 1 loop device, \\d+ cgroups?$`,
        "m",
      ),
    );
    expect(existsSync(join(stateDir, "hosts", oldId))).toBe(false);
    const now = leftovers([second.child.pid!]);
    expect([now.processes, now.mounts, now.loopDevices, now.cgroups]).toEqual([[], [], [], []]);
    const status = JSON.parse((await cli(["sim", "status", "--json", "--state-dir", stateDir])).stdout) as {
      running: boolean;
      endpoint: string;
    };
    expect(status).toEqual({
      running: true,
      pid: second.child.pid,
      endpoint: second.endpoint,
      stateDir,
      region: "us-east-1",
      env: expect.objectContaining({ AWS_ENDPOINT_URL: second.endpoint }) as unknown,
    });

    // The new region has hosts of its own; killed too, it leaves them for `sim stop`.
    await launchWithVolume(second.endpoint);
    await kill9(second.child);
    expect(leftovers().loopDevices).toHaveLength(1);
  });

  it("stop reclaims what a dead local region left, leaving nothing on the machine", async () => {
    const { stdout } = await cli(["sim", "stop", "--state-dir", stateDir]);
    expect(stdout).toMatch(
      new RegExp(
        `^not running; reclaimed what a local region that did not stop left in ${stateDir}: \\d+ process(es)?, \\d+ mounts?, 1 loop device, \\d+ cgroups?\\n$`,
      ),
    );
    const owned = listOwned(stateDir);
    expect(owned).toEqual({ processes: [], mounts: [], loopDevices: [], cgroups: [], files: [] });
    expect(isClean(owned)).toBe(true);
    expect(await machineMentions(stateDir)).toEqual([]);
    expect((await cli(["sim", "stop", "--state-dir", stateDir])).stdout).toBe("not running\n");
  });
});
