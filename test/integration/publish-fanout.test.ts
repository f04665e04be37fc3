// Pushing a release to real hosts (sim full hosts: own mount namespace, sshd on their 127.x
// address, an ext4 volume mounted at /release) and reading it back: manifest last, deletions, a
// read-only mount made writable for the push only,
// host keys pinned on first contact and refused on change, hosts without their volume left alone.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushMembers } from "../../release-server/publish/fanout.js";
import { pushRelease, readMemberState } from "../../release-server/publish/member-io.js";
import type { RemoteSettings } from "../../release-server/publish/remote.js";
import { silentLogger } from "#shared/log.js";
import { run } from "#shared/proc/run.js";
import { renderManifest } from "#shared/release/manifest.js";
import type { HostDriver, HostSpec } from "../../sim/hosts/driver.js";
import { createFullDriver } from "../../sim/hosts/full/driver.js";
import type { FullHost } from "../../sim/hosts/full/host.js";
import { reclaimStateDir } from "../../sim/hosts/reclaim.js";
import { freeLoopbackIp } from "../support/loopback.js";
import { createSshClient } from "../support/ssh-client.js";
import { makeStateDir } from "../support/state-dir.js";

let dir: string;
let source: string;
let driver: HostDriver | undefined;
let mounted: FullHost;
let bare: FullHost;
let remote: RemoteSettings;

async function spec(instanceId: string, publicKey: string): Promise<HostSpec> {
  const ip = await freeLoopbackIp();
  return {
    instanceId,
    privateIp: ip,
    hostname: `ip-${ip.replaceAll(".", "-")}.ec2.internal`,
    authorizedKeys: [publicKey],
    env: {},
    imds: {
      region: "us-east-1",
      availabilityZone: "us-east-1a",
      accountId: "123456789012",
      imageId: "ami-0sim",
      instanceType: "t3.micro",
      mac: "0e:00:00:00:00:01",
      vpcId: "vpc-0sim",
      subnetId: "subnet-0sim",
    },
  };
}

async function writeRelease(releaseId: string, files: Record<string, string>): Promise<void> {
  await rm(source, { recursive: true, force: true });
  await mkdir(join(source, ".asg-release"), { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(source, path, ".."), { recursive: true });
    await writeFile(join(source, path), content);
  }
  await writeFile(
    join(source, ".asg-release/manifest.json"),
    renderManifest({
      releaseId,
      treeHash: "a".repeat(64),
      project: "demo",
      time: "2025-01-01T00:00:00Z",
      files: 1,
    }),
  );
}

const target = (h: FullHost) => ({ instanceId: h.instanceId, privateIp: h.privateIp });
const push = async (h: FullHost) =>
  pushRelease(
    run,
    source,
    await readFile(join(source, ".asg-release/manifest.json"), "utf8"),
    target(h),
    remote,
    60_000,
  );
const sh = async (h: FullHost, script: string) => (await h.exec(["/bin/sh", "-c", script])).stdout.trim();

beforeAll(async () => {
  dir = await makeStateDir("publish-fanout");
  source = join(dir, "release");
  await mkdir(join(dir, "client"));
  const client = await createSshClient(join(dir, "client"));
  remote = {
    ssh: { user: "root", identityFile: client.keyPath, knownHostsFile: join(dir, "known_hosts") },
    dest: "/release",
    requireMount: true,
    ioTimeoutSeconds: 30,
  };
  driver = createFullDriver({ stateDir: join(dir, "hosts") });
  [mounted, bare] = (await Promise.all([
    driver.boot(await spec("i-0fa0000000000001", client.publicKey)),
    driver.boot(await spec("i-0fa0000000000002", client.publicKey)),
  ])) as [FullHost, FullHost];
  const image = join(dir, "vol.img");
  await run(["truncate", "-s", "32M", image]);
  await run(["mkfs.ext4", "-q", "-F", image]);
  await mounted.attachVolume("vol-0fa0000000000001", image, "/dev/sdf");
  await mounted.exec(["/bin/sh", "-c", "mkdir -p /release && mount /dev/sdf /release"]);
  await bare.exec(["mkdir", "-p", "/release"]);
});

afterAll(async () => {
  await driver?.close();
  if (dir) await reclaimStateDir(dir);
});

describe("pushing a release to an instance", () => {
  it("a fresh volume has no manifest yet", async () => {
    expect(await readMemberState(run, target(mounted), remote, 30_000)).toEqual({ kind: "no-manifest" });
  });

  it("copies the tree, then the manifest, and reads the release back", async () => {
    await writeRelease("r1", { "index.html": "one\n", "lib/a.js": "a\n" });
    expect(await push(mounted)).toMatchObject({ ok: true, state: { kind: "on-release", releaseId: "r1" } });
    expect(await sh(mounted, "cat /release/index.html /release/lib/a.js")).toBe("one\na");
    expect(await readMemberState(run, target(mounted), remote, 30_000)).toEqual({
      kind: "on-release",
      releaseId: "r1",
    });
  });

  it("pins the host key on first contact, under the instance id", async () => {
    const known = await readFile(remote.ssh.knownHostsFile, "utf8");
    expect(known).toContain(`${mounted.instanceId} ${mounted.sshHostKey.split(" ").slice(0, 2).join(" ")}`);
  });

  it("deletes what the release no longer has, and keeps lost+found", async () => {
    await writeRelease("r2", { "index.html": "two\n" });
    expect(await push(mounted)).toMatchObject({ ok: true });
    expect(await sh(mounted, "ls -A /release | sort | tr '\\n' ' '")).toBe(
      ".asg-release index.html lost+found",
    );
    expect(await readMemberState(run, target(mounted), remote, 30_000)).toEqual({
      kind: "on-release",
      releaseId: "r2",
    });
  });

  it("remounts a read-only release read-write for the push and read-only again", async () => {
    const options = () =>
      sh(mounted, "awk '$5 == \"/release\" { o = $6 } END { print o }' /proc/self/mountinfo");
    await sh(mounted, "mount -o remount,ro /release");
    expect((await options()).split(",")).toContain("ro");
    await writeRelease("r2b", { "index.html": "two-b\n" });
    expect(await push(mounted)).toMatchObject({ ok: true, state: { kind: "on-release", releaseId: "r2b" } });
    expect(await sh(mounted, "cat /release/index.html")).toBe("two-b");
    expect((await options()).split(",")).toContain("ro");
    // A failed push puts it back too.
    const failed = await pushRelease(
      run,
      join(dir, "no-such-release"),
      await readFile(join(source, ".asg-release/manifest.json"), "utf8"),
      target(mounted),
      remote,
      60_000,
    );
    expect(failed.ok).toBe(false);
    expect((await options()).split(",")).toContain("ro");
    // A read-write mount is left alone.
    await sh(mounted, "mount -o remount,rw /release");
    await writeRelease("r2", { "index.html": "two\n" });
    expect(await push(mounted)).toMatchObject({ ok: true, state: { kind: "on-release", releaseId: "r2" } });
    expect((await options()).split(",")).toContain("rw");
  });

  it("never writes under /release of a host whose volume is not mounted", async () => {
    const result = await push(bare);
    expect(result).toMatchObject({ ok: false, state: { kind: "not-mounted" } });
    expect(await sh(bare, "ls -A /release")).toBe("");
    expect(await readMemberState(run, target(bare), remote, 30_000)).toEqual({ kind: "not-mounted" });
  });

  it("reports an address where nothing listens as unreachable", async () => {
    const nobody = { instanceId: "i-0fa0000000000009", privateIp: await freeLoopbackIp() };
    const state = await readMemberState(run, nobody, remote, 30_000);
    expect(state.kind).toBe("unreachable");
  });

  it("refuses a host whose key differs from the pinned one, and leaves it untouched", async () => {
    // Pin another key under the first host's id: as if a different machine answered at its address.
    const other = bare.sshHostKey.split(" ").slice(0, 2).join(" ");
    const known = await readFile(remote.ssh.knownHostsFile, "utf8");
    await writeFile(
      remote.ssh.knownHostsFile,
      known.replace(new RegExp(`^${mounted.instanceId} .*$`, "m"), `${mounted.instanceId} ${other}`),
    );
    await writeRelease("r3", { "index.html": "three\n" });
    const result = await push(mounted);
    expect(result).toMatchObject({ ok: false, state: { kind: "host-key-mismatch" } });
    expect(await sh(mounted, "cat /release/index.html")).toBe("two");
    await writeFile(remote.ssh.knownHostsFile, known);
  });
});

describe("pushMembers", () => {
  it("pushes in parallel and reports each instance's result", async () => {
    await writeRelease("r4", { "index.html": "four\n" });
    const events: string[] = [];
    const results = await pushMembers(
      {
        run,
        source,
        remote,
        concurrency: 4,
        instanceTimeoutMs: 60_000,
        log: silentLogger,
        progress: (e) => e.type === "push" && events.push(`${e.instanceId}:${e.status}`),
      },
      [
        {
          instanceId: mounted.instanceId,
          asg: "web",
          lifecycleState: "InService",
          privateIp: mounted.privateIp,
        },
        { instanceId: bare.instanceId, asg: "web", lifecycleState: "Pending", privateIp: bare.privateIp },
      ],
    );
    expect(results.get(mounted.instanceId)?.ok).toBe(true);
    expect(results.get(bare.instanceId)?.ok).toBe(false);
    expect(events.sort()).toEqual([`${mounted.instanceId}:ok`, `${bare.instanceId}:failed`].sort());
    expect(await sh(mounted, "cat /release/index.html")).toBe("four");
  });
});
