// Boot and end of full hosts: `#!` user-data, hosts isolated from each other and from the machine,
// failures reported, a boot that cannot complete undone, a stop during user-data, and a sim that
// dies without stopping its hosts (cleaned up by reclaimStateDir). Light hosts at the end.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHostDriver } from "../../sim/hosts/create-driver.js";
import type { HostDriver, HostSpec } from "../../sim/hosts/driver.js";
import { createFullDriver } from "../../sim/hosts/full/driver.js";
import type { FullHost } from "../../sim/hosts/full/host.js";
import { backingFile } from "../../sim/hosts/full/loop.js";
import { isClean, listOwned } from "../../sim/hosts/owned.js";
import { listProcesses } from "../../sim/hosts/proc/processes.js";
import { run } from "../../sim/hosts/proc/run.js";
import { reclaimStateDir } from "../../sim/hosts/reclaim.js";
import { freeLoopbackIp } from "../support/loopback.js";
import { makeStateDir } from "../support/state-dir.js";

let dir: string;
let driver: HostDriver | undefined;

async function spec(instanceId: string, userData?: string): Promise<HostSpec> {
  const ip = await freeLoopbackIp();
  return {
    instanceId,
    privateIp: ip,
    hostname: `ip-${ip.replaceAll(".", "-")}.ec2.internal`,
    userData: userData === undefined ? undefined : Buffer.from(userData),
    authorizedKeys: [],
    env: { AWS_REGION: "us-east-2" },
    imds: {
      region: "us-east-2",
      availabilityZone: "us-east-2b",
      accountId: "123456789012",
      imageId: "ami-0sim",
      instanceType: "t3.nano",
      mac: "0e:00:00:00:00:02",
      vpcId: "vpc-0sim",
      subnetId: "subnet-0sim",
    },
  };
}

const sh = async (host: FullHost, script: string): Promise<string> =>
  (await host.exec(["/bin/sh", "-c", script])).stdout.trim();

beforeAll(async () => {
  dir = await makeStateDir("sim-hosts-boot");
  driver = createFullDriver({ stateDir: join(dir, "hosts") });
});

afterAll(async () => {
  await driver?.close();
  if (dir) await reclaimStateDir(dir);
});

describe("full hosts", () => {
  it("run #! user-data in hosts that share nothing with each other or the machine", async () => {
    const script = (who: string, exit: number) =>
      `#!/bin/bash\nmkdir -p /etc/asg-release\necho ${who} > /etc/asg-release/who\necho ${who} > /tmp/who\necho "${who} booted on $(hostname)"\nnohup sleep 1000 >/dev/null 2>&1 &\nexit ${exit}\n`;
    const [a, b] = (await Promise.all([
      driver!.boot(await spec("i-0a", script("A", 0))),
      driver!.boot(await spec("i-0b", script("B", 3))),
    ])) as FullHost[];
    expect(await a!.userData).toEqual({ ok: true, stages: [{ name: "part-001", exitCode: 0 }] });
    expect(await b!.userData).toEqual({ ok: false, stages: [{ name: "part-001", exitCode: 3 }] });
    expect(await sh(a!, "cat /etc/asg-release/who /tmp/who")).toBe("A\nA");
    expect(await sh(b!, "cat /etc/asg-release/who /tmp/who")).toBe("B\nB");
    expect(existsSync("/etc/asg-release/who")).toBe(false);
    expect(await a!.consoleOutput()).toContain(
      `A booted on ip-${a!.privateIp.replaceAll(".", "-")}.ec2.internal`,
    );
    expect(await b!.consoleOutput()).toContain("user-data: part-001 failed (exit 3)");
    // The background process of user-data is the host's, and goes with it.
    const ns = a!.mountNamespace;
    expect(listProcesses().some((p) => p.mountNamespace === ns && p.cmdline === "sleep 1000")).toBe(true);
    await Promise.all([a!.stop(), b!.stop()]);
    expect(listProcesses().filter((p) => p.mountNamespace === ns)).toEqual([]);
  });

  it("report cloud-config they cannot run, and stay up", async () => {
    const host = (await driver!.boot(await spec("i-0c", "#cloud-config\nwrite_files: 3\n"))) as FullHost;
    expect(await host.userData).toEqual({
      ok: false,
      stages: [],
      error: "user-data not run: write_files: expected a list",
    });
    expect(await sh(host, "hostname")).toBe(`ip-${host.privateIp.replaceAll(".", "-")}.ec2.internal`);
    // Kept for a look after the fact: files only, nothing running or mounted.
    await host.stop({ keepStateDir: true });
    expect(listOwned(host.stateDir)).toMatchObject({
      processes: [],
      mounts: [],
      loopDevices: [],
      files: [host.stateDir],
    });
    expect(await readFile(join(host.stateDir, "console.log"), "utf8")).toContain(
      "write_files: expected a list",
    );
    await reclaimStateDir(host.stateDir);
    expect(existsSync(host.stateDir)).toBe(false);
  });

  it("undo a boot that cannot complete (the address's port 22 is taken)", async () => {
    const s = await spec("i-0d");
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen({ host: s.privateIp, port: 22 }, resolve));
    try {
      await expect(driver!.boot(s)).rejects.toMatchObject({
        code: "BootFailed",
        message: expect.stringContaining("Cannot bind"),
      });
    } finally {
      squatter.close();
    }
    expect(isClean(listOwned(join(dir, "hosts", "i-0d")))).toBe(true);
    // The IMDS listener went too: the address can serve another host.
    await (await driver!.boot(s)).stop();
  });

  it("stop ends user-data that is still running", async () => {
    const host = await driver!.boot(await spec("i-0e", "#cloud-config\nruncmd:\n  - sleep 1000\n"));
    await new Promise((r) => setTimeout(r, 200));
    await host.stop();
    expect(await host.userData).toEqual({ ok: false, stages: [{ name: "runcmd", exitCode: -1 }] });
  });

  it("die with the sim's process; reclaimStateDir then releases what they held", async () => {
    const stateDir = join(dir, "crashed");
    const image = join(dir, "vol-0c.img");
    await run(["truncate", "-s", "16M", image]);
    const s = await spec("i-0f");
    const driverModule = new URL("../../sim/hosts/full/driver.ts", import.meta.url).pathname;
    const code = `import { createFullDriver } from ${JSON.stringify(driverModule)};
const host = await createFullDriver({ stateDir: ${JSON.stringify(stateDir)} }).boot(${JSON.stringify(s)});
await host.attachVolume("vol-0c", ${JSON.stringify(image)}, "/dev/sdf");
console.log(host.mountNamespace);
setInterval(() => {}, 1000);`;
    const child = spawn("node", ["--import", "tsx/esm", "--input-type=module", "-e", code], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const ns = await new Promise<string>((resolve) =>
      child.stdout.once("data", (b: Buffer) => resolve(b.toString().trim())),
    );
    expect(ns).toMatch(/^mnt:\[\d+\]$/);
    child.kill("SIGKILL");
    // The holder reads EOF on its stdin and takes the host's processes with it.
    for (let i = 0; i < 100 && listProcesses().some((p) => p.mountNamespace === ns); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(listProcesses().filter((p) => p.mountNamespace === ns)).toEqual([]);
    const left = listOwned(stateDir);
    expect(left.loopDevices).toHaveLength(1);
    const found = await reclaimStateDir(stateDir);
    expect(found.files).toEqual([stateDir]);
    expect(backingFile(left.loopDevices[0]!.device)).toBeUndefined();
    expect(isClean(listOwned(stateDir, { mountNamespaces: [ns] }))).toBe(true);
  });
});

describe("light hosts", () => {
  it("boot by the thousand with nothing on the machine, and keep EC2's attachment rules", async () => {
    const light = createHostDriver({ kind: "light", stateDir: join(dir, "light") });
    const base = await spec("i-0");
    const hosts = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => light.boot({ ...base, instanceId: `i-${i.toString(16)}` })),
    );
    const h = hosts[0]!;
    const a = await h.attachVolume("vol-01", "/nonexistent.img", "/dev/sdf");
    expect(a.byIdPath).toBe("/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol01");
    await expect(h.attachVolume("vol-02", "/x.img", "/dev/xvdf")).rejects.toMatchObject({
      code: "InvalidParameterValue",
    });
    await expect(h.exec(["true"])).rejects.toMatchObject({ code: "Unsupported" });
    await h.detachVolume("vol-01");
    await expect(h.detachVolume("vol-01")).rejects.toMatchObject({ code: "IncorrectState" });
    await light.close();
    expect(existsSync(join(dir, "light"))).toBe(false);
    await expect(h.attachVolume("vol-01", "/x.img", "/dev/sdf")).rejects.toMatchObject({
      code: "IncorrectState",
    });
  });
});
