// A full instance stopped and started through EC2: stopping powers its host off (ssh and IMDS
// and its container refused, the volume still attached and its file system cleanly unmounted);
// starting boots it again with the same address, host key, root file system, containers (exited) and
// volume, running bootcmd again but not runcmd; a reboot does the same without leaving `running`; a
// sim stopped with an instance stopped leaves nothing behind.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  DescribeVolumesCommand,
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsClients } from "#shared/aws/clients.js";
import { listOwned } from "../../sim/hosts/owned.js";
import type { SimHandle } from "../../sim/index.js";
import { DEBIAN_12_AMI } from "../../sim/services/ec2/seed.js";
import { describeInstance } from "../support/sim.js";
import {
  consoleText as consoleOf,
  pinConsoleHostKey,
  sshTo,
  startFullSim,
  stopFullSim,
  until,
  opsKeyPair,
} from "../support/sim-ec2-full.js";

const exec = promisify(execFile);
const DELAY = 20;
let dir: string;
let sim: SimHandle | undefined;
let aws: AwsClients;

beforeAll(async () => {
  ({ dir, sim, aws } = await startFullSim("sim-ec2-full-stop", {
    instancePendingMs: DELAY,
    instanceShutdownMs: DELAY,
    volumeCreateMs: DELAY,
  }));
});
afterAll(async () => {
  await stopFullSim({ dir, sim, aws });
});

const describe1 = (id: string) => describeInstance(aws, id);

async function imdsToken(ip: string): Promise<string> {
  const res = await fetch(`http://${ip}/latest/api/token`, {
    method: "PUT",
    headers: { "x-aws-ec2-metadata-token-ttl-seconds": "60" },
  });
  return res.text();
}

const USER_DATA = [
  "#cloud-config",
  "bootcmd:",
  "  - echo boot >> /var/log/sim-boots",
  "runcmd:",
  "  - echo run >> /var/log/sim-runs",
  "",
].join("\n");

describe("a full instance stopped and started", () => {
  it("powers off with its volume attached and boots again as the same host", async () => {
    const keyPath = await opsKeyPair(aws, dir);
    const run = await aws.ec2.send(
      new RunInstancesCommand({
        ImageId: DEBIAN_12_AMI,
        MinCount: 1,
        MaxCount: 1,
        KeyName: "ops",
        UserData: Buffer.from(USER_DATA).toString("base64"),
        BlockDeviceMappings: [{ DeviceName: "/dev/sdf", Ebs: { VolumeSize: 1 } }],
      }),
    );
    const id = run.Instances![0]!.InstanceId!;
    const ip = run.Instances![0]!.PrivateIpAddress!;
    await sim!.advanceClock(DELAY);
    const volumeId = (await describe1(id)).BlockDeviceMappings!.find((d) => d.DeviceName === "/dev/sdf")!.Ebs!
      .VolumeId!;
    const byId = `/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${volumeId.replace("-", "")}`;

    const consoleText = () => consoleOf(aws, id);
    const knownHosts = join(dir, "known_hosts");
    const { hostKey } = await pinConsoleHostKey(aws, { id, ip }, knownHosts);
    // Host key checking on: after the start, the host must present the key pinned here.
    const ssh = sshTo(ip, keyPath, knownHosts);

    await until("runcmd to have run", () =>
      ssh("cat /var/log/sim-runs 2>/dev/null || true").then(
        (s) => s || undefined,
        () => undefined,
      ),
    );
    await until("the volume's device", () =>
      ssh(`test -e ${byId} && echo yes || true`).then((s) => s || undefined),
    );
    await ssh(
      `mkfs.ext4 -q -F ${byId} && mkdir -p /opt/data && mount ${byId} /opt/data && echo kept > /opt/data/hello`,
    );

    // A container serving HTTP on the instance's address, from an image made in the host.
    await ssh(
      [
        "mkdir -p /tmp/rootfs/bin && cp /bin/busybox /tmp/rootfs/bin/",
        "tar -C /tmp/rootfs -c . | podman import -q - localhost/bb:1 >/dev/null",
        `podman run -d -q --name web --network host localhost/bb:1 /bin/busybox httpd -f -p ${ip}:8080 -h / >/dev/null`,
      ].join(" && "),
    );
    const web = () => fetch(`http://${ip}:8080/`).then((r) => r.status);
    await until("the container to serve", () => web().catch(() => undefined));

    // What Auto Scaling told the instance's metadata service outlives the power cycle.
    const region = sim!.sim.state.region(sim!.region)!;
    await sim!.sim.internal.ec2!.setTargetLifecycleState!(region, id, "InService");

    await aws.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await sim!.advanceClock(DELAY);
    await until("the instance to be stopped", async () =>
      (await describe1(id)).State?.Name === "stopped" ? true : undefined,
    );
    const refused = await ssh("true").then(
      () => "answered",
      (e: { stderr?: string }) => e.stderr ?? "",
    );
    expect(refused).toMatch(/Connection refused/);
    await expect(imdsToken(ip)).rejects.toThrow();
    await expect(web()).rejects.toThrow();
    const volume = (await aws.ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }))).Volumes![0]!;
    expect(volume).toMatchObject({ State: "in-use", Attachments: [{ InstanceId: id, State: "attached" }] });
    // Powered off: nothing of the host runs or holds a device, its state dir stays for the next boot.
    const hostDir = join(dir, "sim", "hosts", id);
    const owned = listOwned(hostDir);
    expect([owned.processes, owned.mounts, owned.loopDevices]).toEqual([[], [], []]);
    expect(existsSync(hostDir)).toBe(true);
    const image = region.volumes.get(volumeId)!.imagePath!;
    const header = (await exec("dumpe2fs", ["-h", image])).stdout;
    expect(header).toMatch(/^Filesystem state:\s+clean$/m);

    await aws.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    await sim!.advanceClock(DELAY);
    expect((await describe1(id)).PrivateIpAddress).toBe(ip);
    await until("bootcmd to run again", () =>
      ssh("cat /var/log/sim-boots 2>/dev/null || true").then(
        (s) => (s === "boot\nboot" ? s : undefined),
        // Refused until the host is up again.
        () => undefined,
      ),
    );
    expect(await ssh("cat /var/log/sim-runs")).toBe("run");
    expect(await ssh("cat /opt/data/hello 2>/dev/null || echo unmounted")).toBe("unmounted");
    await until("the volume's device", () =>
      ssh(`test -e ${byId} && echo yes || true`).then((s) => s || undefined),
    );
    expect(await ssh(`readlink -f /dev/sdf`)).toBe(await ssh(`readlink -f ${byId}`));
    expect(await ssh(`mount ${byId} /opt/data && cat /opt/data/hello`)).toBe("kept");
    const token = await imdsToken(ip);
    const lifecycle = await fetch(`http://${ip}/latest/meta-data/autoscaling/target-lifecycle-state`, {
      headers: { "x-aws-ec2-metadata-token": token },
    });
    expect(await lifecycle.text()).toBe("InService");
    // The container survived the power cycle, exited, as after a machine's reboot.
    expect(await ssh("podman ps -a --format '{{.Names}} {{.Status}}'")).toMatch(/^web Exited /);
    await ssh("podman start web >/dev/null");
    expect(await until("the container to serve again", () => web().catch(() => undefined))).toBeGreaterThan(
      0,
    );
    const second = await consoleText();
    expect(second).toContain(`${id} (ip-${ip.replaceAll(".", "-")}.ec2.internal, ${ip}) booting again`);
    expect(second.split(hostKey).length - 1).toBe(2);

    // A reboot restarts the host's processes; the instance stays running throughout.
    await aws.ec2.send(new RebootInstancesCommand({ InstanceIds: [id] }));
    expect((await describe1(id)).State?.Name).toBe("running");
    await until("bootcmd to run a third time", () =>
      ssh("cat /var/log/sim-boots 2>/dev/null || true").then(
        (s) => (s === "boot\nboot\nboot" ? s : undefined),
        () => undefined,
      ),
    );
    expect(await ssh("cat /var/log/sim-runs")).toBe("run");

    await aws.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await sim!.advanceClock(DELAY);
    await until("the host to be gone", async () => {
      const left = listOwned(hostDir);
      return left.processes.length === 0 && left.files.length === 0 ? left : undefined;
    });
    expect(sim!.sim.backgroundErrors()).toEqual([]);
  });

  it("leaves nothing behind when the sim stops with the instance stopped", async () => {
    const run = await aws.ec2.send(
      new RunInstancesCommand({ ImageId: DEBIAN_12_AMI, MinCount: 1, MaxCount: 1 }),
    );
    const id = run.Instances![0]!.InstanceId!;
    await sim!.advanceClock(DELAY);
    const hostDir = join(dir, "sim", "hosts", id);
    await until("the host to boot", async () => (existsSync(join(hostDir, "host.json")) ? true : undefined));
    await aws.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await sim!.advanceClock(DELAY);
    await until("the instance to be stopped", async () =>
      (await describe1(id)).State?.Name === "stopped" ? true : undefined,
    );
    expect(existsSync(hostDir)).toBe(true);
    await sim!.stop();
    sim = undefined;
    const left = listOwned(dir);
    expect([left.processes, left.mounts, left.loopDevices, left.cgroups]).toEqual([[], [], [], []]);
    expect(existsSync(join(dir, "sim"))).toBe(false);
  });
});
