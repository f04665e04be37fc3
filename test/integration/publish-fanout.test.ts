// Pushing a release to real hosts (sim full hosts: own mount namespace, sshd on their 127.x
// address, an ext4 volume mounted at /release) and reading it back: manifest last, deletions, a
// read-only mount made writable for the push only,
// host keys pinned on first contact and refused on change, hosts without their volume left alone,
// and hosts whose release path holds anything but the release volume (another filesystem, another
// label, no release marker) reported with the reason and never written.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushMembers } from "../../release-server/publish/fanout.js";
import { pushRelease, readMemberState } from "../../release-server/publish/member-io.js";
import type { RemoteSettings } from "../../release-server/publish/remote.js";
import { silentLogger } from "#shared/log.js";
import { run } from "#shared/proc/run.js";
import { renderManifest } from "#shared/release/manifest.js";
import { shellQuote } from "#shared/proc/argv/ssh.js";
import { markerText } from "../../release-server/publish/target-proof.js";
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
let foreign: FullHost;
/** The release volume's filesystem UUID: the test volumes "made from its snapshots" carry it. */
const RELEASE_UUID = "5e1ea5e0-0000-4000-8000-00000000f00d";
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
/** An ext4 image file with `label` and, when given, `uuid`. */
async function image(name: string, label: string, uuid: string | undefined): Promise<string> {
  const path = join(dir, `${name}.img`);
  await run(["truncate", "-s", "32M", path]);
  await run(["mkfs.ext4", "-q", "-F", "-L", label, ...(uuid ? ["-U", uuid] : []), path]);
  return path;
}

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
  remote.proof = { project: "demo", uuid: RELEASE_UUID, label: "code_release" };
  [mounted, bare, foreign] = (await Promise.all([
    driver.boot(await spec("i-0fa0000000000001", client.publicKey)),
    driver.boot(await spec("i-0fa0000000000002", client.publicKey)),
    driver.boot(await spec("i-0fa0000000000003", client.publicKey)),
  ])) as [FullHost, FullHost, FullHost];
  await mounted.attachVolume(
    "vol-0fa0000000000001",
    await image("vol", "code_release", RELEASE_UUID),
    "/dev/sdf",
  );
  // As a volume made from a snapshot of the release volume: its filesystem, with the release marker.
  await sh(
    mounted,
    "mkdir -p /release && mount /dev/sdf /release && mkdir /release/.asg-release && " +
      `printf '%s' ${shellQuote(markerText("demo"))} > /release/.asg-release/release-volume`,
  );
  await bare.exec(["mkdir", "-p", "/release"]);
  // Not the release volume: another filesystem; the release volume's UUID with another label; and
  // its filesystem without the release marker (each holding a file of its own, and the first even
  // a release marker).
  await foreign.attachVolume("vol-0fa0000000000031", await image("other", "data", undefined), "/dev/sdf");
  await foreign.attachVolume(
    "vol-0fa0000000000032",
    await image("relabelled", "other", RELEASE_UUID),
    "/dev/sdg",
  );
  await foreign.attachVolume(
    "vol-0fa0000000000033",
    await image("unmarked", "code_release", RELEASE_UUID),
    "/dev/sdh",
  );
  await sh(foreign, "mkdir -p /release /mnt/x");
  for (const dev of ["sdf", "sdg", "sdh"]) {
    await sh(foreign, `mount /dev/${dev} /mnt/x && echo mine > /mnt/x/keep.txt && umount /mnt/x`);
  }
  await sh(
    foreign,
    "mount /dev/sdf /mnt/x && mkdir /mnt/x/.asg-release && " +
      `printf '%s' ${shellQuote(markerText("demo"))} > /mnt/x/.asg-release/release-volume && umount /mnt/x`,
  );
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

describe("the target proof", () => {
  const cases = [
    [
      "sdf",
      /^the filesystem at \/release \(\/dev\/[^)]+\) has UUID [0-9a-f-]{36}, not the release volume's 5e1ea5e0-/,
    ],
    [
      "sdg",
      /^the filesystem at \/release \(\/dev\/[^)]+\) is labelled other, not code_release like the release volume$/,
    ],
    ["sdh", /^\/release holds no release marker of project demo$/],
  ] as const;

  it.each(cases)(
    "refuses /dev/%s at /release with the reason, and leaves its files untouched",
    async (dev, reason) => {
      await sh(foreign, `mount /dev/${dev} /release`);
      try {
        await writeRelease("r9", { "index.html": "nine\n" });
        const result = await push(foreign);
        expect(result).toMatchObject({
          ok: false,
          state: { kind: "not-release-volume", message: expect.stringMatching(reason) },
        });
        expect(result.ok ? "" : result.message).toMatch(/^not the release volume: /);
        expect(await readMemberState(run, target(foreign), remote, 30_000)).toEqual({
          kind: "not-release-volume",
          message: expect.stringMatching(reason),
        });
        expect(
          await sh(foreign, "ls -A /release | grep -v -e lost+found -e .asg-release | tr '\\n' ' '"),
        ).toBe("keep.txt");
        expect(
          await sh(
            foreign,
            "cat /release/keep.txt; test -e /release/.asg-release/manifest.json || echo none",
          ),
        ).toBe("mine\nnone");
      } finally {
        await sh(foreign, "umount /release");
      }
    },
  );

  it("a volume made before the release marker is proven by its manifest, and gets the marker", async () => {
    await sh(foreign, "mount /dev/sdh /release");
    try {
      await sh(
        foreign,
        `mkdir -p /release/.asg-release && printf '%s' ${shellQuote(await readFile(join(source, ".asg-release/manifest.json"), "utf8"))} > /release/.asg-release/manifest.json`,
      );
      await writeRelease("r10", { "index.html": "ten\n" });
      expect(await push(foreign)).toMatchObject({
        ok: true,
        state: { kind: "on-release", releaseId: "r10" },
      });
      expect(await sh(foreign, "grep -x project=demo /release/.asg-release/release-volume")).toBe(
        "project=demo",
      );
    } finally {
      await sh(foreign, "umount /release");
    }
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
