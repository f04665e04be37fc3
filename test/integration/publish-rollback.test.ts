// A release rollback against the local region with real hosts: publish release A, then B, then
// `--rollback-to` A. The members get tree A again under a new release whose signed pointer has A's
// tree hash, the rollback mark and a higher sequence (an agent holding the public key takes it); the
// temporary source volume is gone; the pin keeps a restarted server from publishing B over it until
// the tree changes. The server's AWS calls use credentials held to exactly the generated
// release-server policy, so every rollback call is one that policy allows.
import { AttachVolumeCommand, CreateVolumeCommand, DescribeVolumesCommand } from "@aws-sdk/client-ec2";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedPolicy } from "../../agent/steps/pointer-trust.js";
import { PointerStore } from "../../release-server/api/pointer-store.js";
import { sweepVolumes } from "../../release-server/publish/housekeeping.js";
import { Publisher } from "../../release-server/publish/pipeline.js";
import type { PublishReport } from "../../release-server/publish/report.js";
import { pinPath, readPin } from "../../release-server/publish/rollback-pin.js";
import {
  releaseLeftSources,
  rollbackMountPath,
  type ReleaseHostPort,
} from "../../release-server/publish/rollback-source.js";
import { mountArgv } from "#shared/proc/argv/mount.js";
import type { PublishSettings } from "../../release-server/publish/settings.js";
import type { AwsClients } from "#shared/aws/clients.js";
import { silentLogger } from "#shared/log.js";
import { run, type Run } from "#shared/proc/run.js";
import type { ReleasePointer } from "#shared/release/pointer.js";
import { generateSigningKeyPair, privateKeyFrom, publicKeyFrom } from "#shared/release/pointer-signature.js";
import {
  MANAGED_BY_SERVER,
  MANAGED_BY_TAG,
  PROJECT_TAG,
  ROLE_ROLLBACK_SOURCE,
  ROLE_TAG,
} from "#shared/release/tags.js";
import {
  bootReleaseHost,
  createGroup,
  groupInstances,
  hostOf,
  serverClients,
  startFleet,
  waitUntil,
  type Fleet,
  type ReleaseHost,
} from "../support/e2e/fleet.js";

const PROJECT = "shop";
const keys = generateSigningKeyPair();
let fleet: Fleet;
let releaseHost: ReleaseHost;
let settings: PublishSettings;
let server: AwsClients;
let source: string;
let stateDir: string;

/** The release host as the server sees it: here the test process, so the volume's loop device. */
function hostPort(): ReleaseHostPort {
  return {
    instanceId: releaseHost.instanceId,
    availabilityZone: releaseHost.availabilityZone,
    device: "/dev/sdr",
    findDevice: (volumeId) =>
      waitUntil(`the loop device of ${volumeId}`, async () => {
        const record = JSON.parse(
          await readFile(join(fleet.sim.stateDir, "hosts", releaseHost.instanceId, "host.json"), "utf8"),
        ) as { loopDevices: { volumeId: string; device: string }[] };
        return record.loopDevices.find((l) => l.volumeId === volumeId)?.device;
      }),
  };
}

/** A server as it starts: the pointer loaded from its file, a new publisher (as after a restart). */
async function startServer(runner: Run = run): Promise<{ pointers: PointerStore; publisher: Publisher }> {
  const pointers = new PointerStore(
    join(stateDir, "pointer.json"),
    undefined,
    privateKeyFrom(keys.privatePem),
  );
  await pointers.load();
  const publisher = new Publisher(
    { aws: server, run: runner, log: silentLogger, pointers, now: () => new Date(), releaseHost: hostPort() },
    settings,
    async () => releaseHost.volumeId,
  );
  return { pointers, publisher };
}

const memberFile = async (instanceId: string, path: string) =>
  (await hostOf(fleet, instanceId)).sh(`cat /release/${path}`);

async function rollbackSources(aws: AwsClients): Promise<string[]> {
  const out = await aws.ec2.send(
    new DescribeVolumesCommand({
      Filters: [
        { Name: `tag:${ROLE_TAG}`, Values: [ROLE_ROLLBACK_SOURCE] },
        { Name: `tag:${PROJECT_TAG}`, Values: [PROJECT] },
      ],
    }),
  );
  // A volume being deleted is as good as gone: EBS never takes a deletion back.
  return (out.Volumes ?? [])
    .filter((v) => v.State !== "deleted" && v.State !== "deleting")
    .map((v) => `${v.VolumeId} ${v.State}`);
}

beforeAll(async () => {
  fleet = await startFleet("publish-rollback");
  releaseHost = await bootReleaseHost(fleet, PROJECT);
  await createGroup(fleet, "web", 2);
  source = join(fleet.dir, "src");
  await mkdir(source, { recursive: true });
  await writeFile(join(source, "index.html"), "A\n");
  await writeFile(join(source, "only-in-a.txt"), "a\n");
  stateDir = join(fleet.dir, "server");
  await mkdir(stateDir, { recursive: true });
  settings = {
    project: PROJECT,
    source,
    mountPath: releaseHost.mountPath,
    excludes: [],
    targets: { asgNames: ["web"], tags: {} },
    ssh: { user: "root", identityFile: fleet.keyPath, knownHostsFile: join(stateDir, "known_hosts") },
    dest: "/release",
    // These instances run no agent: /release is a plain directory, as in docs/spec/release.md#publish.
    requireMount: false,
    concurrency: 4,
    instanceTimeoutMs: 60_000,
    reconcileDeadlineMs: 30_000,
    unreachable: { attempts: 3, afterMs: 60_000 },
    reconcileIntervalMs: 200,
    snapshotTimeoutMs: 60_000,
    maxShrinkPercent: 50,
    retention: 5,
    stateDir,
  };
  server = serverClients(fleet, releaseHost.instanceId, PROJECT);
});

afterAll(async () => {
  await fleet?.stop();
});

describe("publish --rollback-to", () => {
  let a: ReleasePointer;
  let b: ReleasePointer;
  let rolledBack: PublishReport;
  let pointers: PointerStore;
  const commands: string[][] = [];

  beforeAll(async () => {
    const first = await startServer((argv, o) => {
      commands.push([...argv]);
      return run(argv, o);
    });
    pointers = first.pointers;
    expect((await first.publisher.publish()).result).toBe("published");
    a = pointers.current()!;
    await writeFile(join(source, "index.html"), "B\n");
    await writeFile(join(source, "only-in-b.txt"), "b\n");
    expect((await first.publisher.publish()).result).toBe("published");
    b = pointers.current()!;
    rolledBack = await first.publisher.publish(undefined, undefined, {
      rollbackTo: a.releaseId,
      explicit: true,
    });
  });

  it("publishes a new release with release A's tree, marked as a rollback, with a higher sequence", () => {
    expect(rolledBack).toMatchObject({ result: "published", treeHash: a.treeHash });
    const p = pointers.current()!;
    expect(p.releaseId).toBe(rolledBack.releaseId);
    expect(p.releaseId).not.toBe(a.releaseId);
    expect(p.releaseId).not.toBe(b.releaseId);
    expect(p.snapshotId).not.toBe(a.snapshotId);
    expect(p).toMatchObject({ treeHash: a.treeHash, rollback: true });
    expect(p.sequence).toBeGreaterThan(b.sequence!);
    expect(b.rollback).toBeUndefined();
  });

  it("puts tree A back on every member, as their manifests say", async () => {
    const ids = (await groupInstances(fleet, "web")).map((m) => m.instanceId).sort();
    expect(rolledBack.members.map((m) => [m.instanceId, m.status])).toEqual(
      ids.map((id) => [id, "converged"]),
    );
    for (const id of ids) {
      expect(await memberFile(id, "index.html")).toBe("A");
      expect(await memberFile(id, "only-in-a.txt")).toBe("a");
      expect(
        await (await hostOf(fleet, id)).sh("test -e /release/only-in-b.txt && echo yes || echo no"),
      ).toBe("no");
      const manifest = JSON.parse(await memberFile(id, ".asg-release/manifest.json")) as Record<
        string,
        unknown
      >;
      expect(manifest).toMatchObject({ releaseId: rolledBack.releaseId, treeHash: a.treeHash });
    }
  });

  it("is taken by an agent holding the public key, after it ran release B", () => {
    const policy = signedPolicy(
      publicKeyFrom(keys.publicRaw),
      { sequence: b.sequence!, releaseId: b.releaseId, time: b.time },
      join(fleet.dir, "agent-pointer-state.json"),
    );
    const p = pointers.current()!;
    expect(() =>
      policy.accept({ snapshotId: p.snapshotId, releaseId: p.releaseId, source: "test", document: p }),
    ).not.toThrow();
    // ...and a replay of B after it is refused.
    const after = signedPolicy(
      publicKeyFrom(keys.publicRaw),
      { sequence: p.sequence!, releaseId: p.releaseId, time: p.time },
      join(fleet.dir, "agent-pointer-state.json"),
    );
    expect(() =>
      after.accept({ snapshotId: b.snapshotId, releaseId: b.releaseId, source: "test", document: b }),
    ).toThrow(/lower than/);
  });

  it("mounts the older tree read-only, nodev, nosuid under the state directory", () => {
    const mounts = commands.filter((c) => c[0] === "mount");
    expect(mounts).toEqual([
      [
        "mount",
        "-o",
        "ro,nodev,nosuid",
        expect.stringMatching(/^\/dev\//),
        join(stateDir, "rollback-source"),
      ],
    ]);
  });

  it("removes its temporary source volume and its mount point", async () => {
    expect(await rollbackSources(fleet.aws)).toEqual([]);
    await expect(stat(join(stateDir, "rollback-source"))).rejects.toThrow();
  });

  it("pins the fleet: a restarted server does not publish the unchanged source over it", async () => {
    const pin = await readPin(stateDir);
    expect(pin).toMatchObject({ rolledBackTo: a.releaseId, releaseId: rolledBack.releaseId });
    const restarted = await startServer();
    const before = restarted.pointers.current();
    expect(before?.releaseId).toBe(rolledBack.releaseId);
    // The start-up publish, the watcher's and the retry are automatic: none is explicit.
    const r = await restarted.publisher.publish();
    expect(r.result).toBe("unchanged");
    expect(r.pinned).toContain(`pinned to the rolled-back release ${a.releaseId}`);
    expect(restarted.pointers.current()).toEqual(before);
    for (const m of await groupInstances(fleet, "web"))
      expect(await memberFile(m.instanceId, "index.html")).toBe("A");
    pointers = restarted.pointers;
  });

  it("publishes forward once the source changes, and the pin ends", async () => {
    const before = pointers.current()!;
    const restarted = await startServer();
    await writeFile(join(source, "index.html"), "C\n");
    const r = await restarted.publisher.publish();
    expect(r.result).toBe("published");
    const p = restarted.pointers.current()!;
    expect(p.releaseId).toBe(r.releaseId);
    expect(p.rollback).toBeUndefined();
    expect(p.sequence).toBeGreaterThan(before.sequence!);
    for (const m of r.members) expect(await memberFile(m.instanceId, "index.html")).toBe("C");
    await expect(stat(pinPath(stateDir))).rejects.toThrow();
  });

  it("refuses a release id without a snapshot, with a clear error, and changes nothing", async () => {
    const restarted = await startServer();
    const before = restarted.pointers.current();
    const r = await restarted.publisher.publish(undefined, undefined, {
      rollbackTo: "20200101-000000-deadbeef",
      explicit: true,
    });
    expect(r.result).toBe("failed");
    expect(r.error).toBe(
      `cannot roll back to 20200101-000000-deadbeef: project ${PROJECT} has no release snapshot with that release id (retention may have deleted it)`,
    );
    expect(restarted.pointers.current()).toEqual(before);
    expect(await readPin(stateDir)).toBeUndefined();
    expect(await rollbackSources(fleet.aws)).toEqual([]);
  });
  it("releases the source a rollback killed half-way left mounted and attached", async () => {
    const made = await fleet.aws.ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: releaseHost.availabilityZone,
        SnapshotId: a.snapshotId,
        TagSpecifications: [
          {
            ResourceType: "volume",
            Tags: [
              { Key: ROLE_TAG, Value: ROLE_ROLLBACK_SOURCE },
              { Key: PROJECT_TAG, Value: PROJECT },
              { Key: MANAGED_BY_TAG, Value: MANAGED_BY_SERVER },
            ],
          },
        ],
      }),
    );
    const volumeId = made.VolumeId!;
    await waitUntil("the left-behind volume available", async () =>
      (await rollbackSources(fleet.aws)).includes(`${volumeId} available`) ? true : undefined,
    );
    await fleet.aws.ec2.send(
      new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: releaseHost.instanceId, Device: "/dev/sdr" }),
    );
    const path = rollbackMountPath(stateDir);
    await mkdir(path, { recursive: true });
    await run(mountArgv(await hostPort().findDevice(volumeId, "/dev/sdr"), path, ["ro"]));
    expect(await readFile(join(path, "index.html"), "utf8")).toBe("A\n");

    await releaseLeftSources({
      aws: server,
      run,
      log: silentLogger,
      host: hostPort(),
      project: PROJECT,
      stateDir,
    });
    await expect(stat(path)).rejects.toThrow();
    expect(await rollbackSources(fleet.aws)).toEqual([]);
  });
});

describe("the housekeeping sweep", () => {
  it("deletes a rollback source a crash left available, under the server's policy", async () => {
    const created = await fleet.aws.ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: releaseHost.availabilityZone,
        Size: 1,
        TagSpecifications: [
          {
            ResourceType: "volume",
            Tags: [
              { Key: ROLE_TAG, Value: ROLE_ROLLBACK_SOURCE },
              { Key: PROJECT_TAG, Value: PROJECT },
              { Key: MANAGED_BY_TAG, Value: MANAGED_BY_SERVER },
            ],
          },
        ],
      }),
    );
    await waitUntil("the left-behind volume available", async () =>
      (await rollbackSources(fleet.aws)).some((v) => v.endsWith("available")) ? true : undefined,
    );
    const deleted = await sweepVolumes(server, silentLogger, PROJECT);
    expect(deleted.map((d) => d.volumeId)).toContain(created.VolumeId);
    expect(await rollbackSources(fleet.aws)).toEqual([]);
  });
});
