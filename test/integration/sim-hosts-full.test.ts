// One full host, booted from cloud-config, used the way the product uses instances: ssh with a
// pinned host key, an ext4 volume attached, mounted and filled with rsync, IMDS through the SDK,
// a podman container serving HTTP on the host's address. Then stop must leave nothing behind.
import { MetadataService } from "@aws-sdk/ec2-metadata-service";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HostDriver, HostSpec } from "../../sim/hosts/driver.js";
import { createFullDriver } from "../../sim/hosts/full/driver.js";
import type { FullHost } from "../../sim/hosts/full/host.js";
import { containerCgroups, containerIds, sharedParents } from "../../sim/hosts/full/cgroups.js";
import { backingFile } from "../../sim/hosts/full/loop.js";
import { listOwned } from "../../sim/hosts/owned.js";
import { listProcesses } from "../../sim/hosts/proc/processes.js";
import { run } from "../../sim/hosts/proc/run.js";
import { reclaimStateDir } from "../../sim/hosts/reclaim.js";
import { buildBusyboxImage, type BusyboxImage } from "../support/busybox-image.js";
import { freeLoopbackIp } from "../support/loopback.js";
import { startRegistry, type Registry } from "../support/registry.js";
import { createSshClient, type SshClient } from "../support/ssh-client.js";
import { makeStateDir } from "../support/state-dir.js";

const userData = `#cloud-config
write_files:
  - path: /etc/asg-release/agent.yaml
    permissions: "0600"
    content: |
      release_server: http://127.0.0.1:1
  - path: /usr/local/bin/greet
    permissions: "0755"
    encoding: b64
    content: ${Buffer.from('#!/bin/sh\necho "hello from $(hostname)"\n').toString("base64")}
runcmd:
  - mkdir -p /run/asg-release
  - greet > /run/asg-release/greeting
  - [sh, -c, 'echo "$AWS_REGION" > /var/lib/region']
`;

let dir: string;
let driver: HostDriver | undefined;
let host: FullHost;
let registry: Registry | undefined;
let image: BusyboxImage;
let ssh: SshClient;
let parentsBefore: string[];
let hostname: string;

const sh = async (script: string): Promise<string> =>
  (await host.exec(["/bin/sh", "-c", script])).stdout.trim();
const sshRun = (...cmd: string[]) =>
  run([...ssh.sshCommand(), `root@${host.privateIp}`, ...cmd], { reject: false });

beforeAll(async () => {
  parentsBefore = sharedParents();
  dir = await makeStateDir("sim-hosts-full");
  registry = await startRegistry();
  image = await buildBusyboxImage({ registry });
  await mkdir(join(dir, "client"));
  ssh = await createSshClient(join(dir, "client"));
  driver = createFullDriver({ stateDir: join(dir, "hosts"), insecureRegistries: [registry.host] });
  const ip = await freeLoopbackIp();
  hostname = `ip-${ip.replaceAll(".", "-")}.ec2.internal`;
  const spec: HostSpec = {
    instanceId: "i-0f00000000000f11",
    privateIp: ip,
    hostname,
    userData: Buffer.from(userData),
    authorizedKeys: [ssh.publicKey],
    env: { AWS_REGION: "eu-west-1", AWS_ENDPOINT_URL: "http://127.0.0.1:1" },
    imds: {
      region: "eu-west-1",
      availabilityZone: "eu-west-1a",
      accountId: "123456789012",
      imageId: "ami-0sim",
      instanceType: "t3.micro",
      mac: "0e:00:00:00:00:01",
      vpcId: "vpc-0sim",
      subnetId: "subnet-0sim",
      targetLifecycleState: "InService",
    },
  };
  host = (await driver.boot(spec)) as FullHost;
  await ssh.pin(host);
});

afterAll(async () => {
  await driver?.close();
  await registry?.stop();
  if (dir) await reclaimStateDir(dir);
});

describe("a full host", () => {
  it("runs cloud-config write_files and runcmd inside the host, with the host's environment", async () => {
    expect(await host.userData).toEqual({
      ok: true,
      stages: [
        { name: "write_files", exitCode: 0 },
        { name: "runcmd", exitCode: 0 },
      ],
    });
    expect(await sh("stat -c %a /etc/asg-release/agent.yaml && cat /etc/asg-release/agent.yaml")).toBe(
      "600\nrelease_server: http://127.0.0.1:1",
    );
    expect(await sh("cat /run/asg-release/greeting /var/lib/region")).toBe(
      `hello from ${hostname}\neu-west-1`,
    );
    // The machine sees the host's files through rootDir, and none of them in its own tree.
    expect(readFileSync(join(host.rootDir, "etc/asg-release/agent.yaml"), "utf8")).toBe(
      "release_server: http://127.0.0.1:1\n",
    );
    expect(existsSync("/usr/local/bin/greet")).toBe(false);
    expect(existsSync("/etc/asg-release/agent.yaml")).toBe(false);
    const console = await host.consoleOutput();
    expect(console).toContain(`-----BEGIN SSH HOST KEY KEYS-----\n${host.sshHostKey}\n`);
    expect(console).toContain("user-data: runcmd done");
  });

  it("accepts ssh as root with the authorised key, checked against the pinned host key", async () => {
    const r = await sshRun("hostname; echo $AWS_REGION; podman info --format '{{.Store.GraphDriverName}}'");
    expect(r.stderr).toBe("");
    expect(r.stdout.split("\n").slice(0, 3)).toEqual([hostname, "eu-west-1", "vfs"]);
    // A different pinned key must fail: host key checking is really on.
    const other = await createSshClient(await makeStateDir("sim-hosts-other", join(dir, "client")));
    await other.pin({ privateIp: host.privateIp, sshHostKey: ssh.publicKey });
    const refused = await run([...other.sshCommand(), "-i", ssh.keyPath, `root@${host.privateIp}`, "true"], {
      reject: false,
    });
    expect(refused.exitCode).toBe(255);
    expect(refused.stderr).toContain("Host key verification failed");
  });

  it("attaches an ext4 volume as on Nitro, takes an rsync into /release, and detaches it while mounted", async () => {
    const image = join(dir, "vol-0a1b2c3d4e5f60718.img");
    await run(["truncate", "-s", "64M", image]);
    await run(["mkfs.ext4", "-q", "-F", image]);
    const a = await host.attachVolume("vol-0a1b2c3d4e5f60718", image, "/dev/sdf");
    expect(a.byIdPath).toBe("/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0a1b2c3d4e5f60718");
    expect(await sh(`readlink -f ${a.byIdPath} /dev/sdf /dev/xvdf`)).toBe(
      `${a.loopDevice}\n${a.loopDevice}\n${a.loopDevice}`,
    );
    await expect(host.attachVolume("vol-0a1b2c3d4e5f60718", image, "/dev/sdg")).rejects.toMatchObject({
      code: "VolumeInUse",
    });
    await sh(`mount ${a.byIdPath} /release`);

    const src = join(dir, "tree");
    await mkdir(join(src, "app"), { recursive: true });
    await writeFile(join(src, "app", "index.html"), "release 1\n");
    const machineRelease = existsSync("/release") ? readdirSync("/release") : [];
    await run([
      "rsync",
      "-a",
      "--delete",
      "-e",
      ssh.sshCommand().join(" "),
      `${src}/`,
      `root@${host.privateIp}:/release/`,
    ]);
    expect(await sh("cat /release/app/index.html; findmnt -n -o SOURCE /release | tail -n1")).toBe(
      `release 1\n${a.loopDevice}`,
    );
    expect(existsSync("/release") ? readdirSync("/release") : []).toEqual(machineRelease);

    await host.detachVolume("vol-0a1b2c3d4e5f60718");
    expect(
      await sh(`findmnt -n -o SOURCE /release; ls /dev/disk/by-id; ls /dev/sdf 2>&1 || true`),
    ).not.toContain("loop");
    expect(backingFile(a.loopDevice)).toBeUndefined();
    expect(host.volumes()).toEqual([]);
  });

  it("serves IMDSv2 to the SDK's metadata client, from the test and from a process in the host", async () => {
    const imds = new MetadataService({ endpoint: `http://${host.privateIp}:80`, retries: 0 });
    expect(await imds.request("/latest/meta-data/instance-id", {})).toBe(host.instanceId);
    expect(await imds.request("/latest/meta-data/placement/availability-zone", {})).toBe("eu-west-1a");
    expect(await imds.request("/latest/meta-data/autoscaling/target-lifecycle-state", {})).toBe("InService");
    const doc = JSON.parse(await imds.request("/latest/dynamic/instance-identity/document", {}));
    expect(doc).toMatchObject({
      instanceId: host.instanceId,
      privateIp: host.privateIp,
      imageId: "ami-0sim",
    });
    expect(await imds.request("/latest/user-data", {})).toBe(userData);

    host.updateImds({ httpTokens: "required", targetLifecycleState: "Terminated" });
    expect((await fetch(`http://${host.privateIp}/latest/meta-data/instance-id`)).status).toBe(401);
    // The SDK inside the host finds IMDS through AWS_EC2_METADATA_SERVICE_ENDPOINT alone.
    const script = `import { MetadataService } from "@aws-sdk/ec2-metadata-service";
const m = new MetadataService();
console.log(await m.request("/latest/meta-data/local-ipv4", {}), await m.request("/latest/meta-data/autoscaling/target-lifecycle-state", {}));`;
    const r = await host.exec(["node", "--input-type=module", "-e", script], { cwd: process.cwd() });
    expect(r.stdout.trim()).toBe(`${host.privateIp} Terminated`);
  });

  it("runs a podman container that serves a file of the host on the host's address", async () => {
    await sh("mkdir -p /var/www && echo 'served from the host' > /var/www/index.html");
    await host.exec(
      [
        "podman",
        "run",
        "-d",
        "--name",
        "web",
        "-v",
        "/var/www:/www:ro",
        "-e",
        `HTTPD_ADDR=${host.privateIp}:8080`,
        image.ref,
      ],
      {
        timeoutMs: 60_000,
      },
    );
    let body = "";
    for (let i = 0; i < 100 && !body; i++) {
      body = await fetch(`http://${host.privateIp}:8080/index.html`).then(
        (r) => r.text(),
        () => "",
      );
      if (!body) await new Promise((r) => setTimeout(r, 50));
    }
    expect(body).toBe("served from the host\n");
    expect(containerCgroups(containerIds(join(host.stateDir, "containers")))).not.toEqual([]);
  });

  it("pulls from a registry behind basic auth only with its credentials", async () => {
    const locked = await startRegistry({ auth: { username: "ci", password: "s3cret pass" } });
    try {
      const img = await buildBusyboxImage({ registry: locked, repository: "private/httpd" });
      const anonymous = await host.exec(["podman", "pull", "--tls-verify=false", img.ref], { reject: false });
      expect(anonymous.exitCode).not.toBe(0);
      await host.exec(["podman", "pull", "--tls-verify=false", "--creds", "ci:s3cret pass", img.ref]);
      expect(await sh(`podman image inspect --format '{{.Digest}}' ${img.ref}`)).toBe(img.digest);
    } finally {
      await locked.stop();
    }
  });

  it("stops: no process, mount, loop device, cgroup, listener or file is left", async () => {
    const ns = host.mountNamespace;
    const containers = containerIds(join(host.stateDir, "containers"));
    expect(containers).toHaveLength(1);
    await host.attachVolume("vol-0b1b2c3d4e5f60718", join(dir, "vol-0a1b2c3d4e5f60718.img"), "/dev/xvdg");
    await sh("mount /dev/xvdg /release");
    await host.stop();
    const owned = listOwned(host.stateDir, { mountNamespaces: [ns] });
    expect(owned).toEqual({ processes: [], mounts: [], loopDevices: [], cgroups: [], files: [] });
    expect(listOwned(dir, { mountNamespaces: [ns] })).toMatchObject({
      processes: [],
      mounts: [],
      loopDevices: [],
      cgroups: [],
    });
    expect(listProcesses().filter((p) => p.mountNamespace === ns)).toEqual([]);
    await driver!.close();
    expect(containerCgroups(containers)).toEqual([]);
    expect(sharedParents().filter((p) => !parentsBefore.includes(p))).toEqual([]);
    await expect(fetch(`http://${host.privateIp}/latest/meta-data/`)).rejects.toThrow();
    expect((await sshRun("true")).exitCode).toBe(255);
    await expect(host.exec(["true"])).rejects.toMatchObject({ code: "IncorrectState" });
  });
});
