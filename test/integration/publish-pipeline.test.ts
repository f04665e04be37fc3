// The whole publish pipeline against the local region with real hosts: sync into the mounted
// release volume, fsfreeze around CreateSnapshot, wait completed, pointer, fan-out to an Auto
// Scaling group, reconcile; unchanged trees; retention; recovery from a journal left frozen. The
// server's AWS calls use credentials held to exactly the generated release-server policy.
import { DescribeSnapshotsCommand } from "@aws-sdk/client-ec2";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PointerStore } from "../../release-server/api/pointer-store.js";
import { applyRetention } from "../../release-server/publish/housekeeping.js";
import { advance, readJournal, startJournal, writeJournal } from "../../release-server/publish/journal.js";
import { Publisher } from "../../release-server/publish/pipeline.js";
import type { PublishReport } from "../../release-server/publish/report.js";
import { journalPath, type PublishSettings } from "../../release-server/publish/settings.js";
import { silentLogger } from "#shared/log.js";
import { run } from "#shared/proc/run.js";
import { PROJECT_TAG, RELEASE_ID_TAG, TREE_HASH_TAG } from "#shared/release/tags.js";
import type { AwsClients } from "#shared/aws/clients.js";
import {
  bootReleaseHost,
  createGroup,
  groupInstances,
  hostOf,
  serverClients,
  startFleet,
  type Fleet,
  type ReleaseHost,
} from "../support/e2e/fleet.js";

const PROJECT = "shop";
let fleet: Fleet;
let releaseHost: ReleaseHost;
let settings: PublishSettings;
let pointers: PointerStore;
let publisher: Publisher;
let server: AwsClients;
let source: string;

beforeAll(async () => {
  fleet = await startFleet("publish-pipeline");
  releaseHost = await bootReleaseHost(fleet, PROJECT);
  await createGroup(fleet, "web", 2);
  source = join(fleet.dir, "src");
  await mkdir(join(source, "static"), { recursive: true });
  await writeFile(join(source, "index.html"), "v1\n");
  await writeFile(join(source, "static/app.js"), "console.log(1)\n");
  await mkdir(join(source, ".git"));
  await writeFile(join(source, ".git/HEAD"), "ref\n");
  const stateDir = join(fleet.dir, "server");
  await mkdir(stateDir, { recursive: true });
  settings = {
    project: PROJECT,
    source,
    mountPath: releaseHost.mountPath,
    excludes: [".git/"],
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
    retention: 2,
    stateDir,
  };
  pointers = new PointerStore(join(stateDir, "pointer.json"));
  server = serverClients(fleet, releaseHost.instanceId, PROJECT);
  publisher = new Publisher(
    { aws: server, run, log: silentLogger, pointers, now: () => new Date() },
    settings,
    async () => releaseHost.volumeId,
  );
});

afterAll(async () => {
  await fleet?.stop();
});

const memberFile = async (instanceId: string, path: string) =>
  (await hostOf(fleet, instanceId)).sh(`cat /release/${path}`);

describe("a publish", () => {
  let report: PublishReport;
  beforeAll(async () => {
    report = await publisher.publish();
  });

  it("publishes a completed, tagged snapshot as the pointer", async () => {
    expect(report).toMatchObject({ result: "published" });
    const p = pointers.current();
    expect(p).toMatchObject({
      releaseId: report.releaseId,
      snapshotId: report.snapshotId,
      treeHash: report.treeHash,
    });
    const snap = (await fleet.aws.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [p!.snapshotId] })))
      .Snapshots?.[0];
    expect(snap?.State).toBe("completed");
    expect(snap?.VolumeId).toBe(releaseHost.volumeId);
    const tags = Object.fromEntries((snap?.Tags ?? []).map((t) => [t.Key, t.Value]));
    expect(tags).toMatchObject({
      [PROJECT_TAG]: PROJECT,
      [RELEASE_ID_TAG]: p!.releaseId,
      [TREE_HASH_TAG]: p!.treeHash,
    });
  });

  it("leaves the release volume with the tree, without excluded files, and its manifest", async () => {
    expect(await readFile(join(releaseHost.mountPath, "index.html"), "utf8")).toBe("v1\n");
    expect(await releaseHost.sh("ls -A /release | sort | tr '\\n' ' '")).toBe(
      ".asg-release index.html lost+found static",
    );
    const manifest = JSON.parse(
      await readFile(join(releaseHost.mountPath, ".asg-release/manifest.json"), "utf8"),
    );
    expect(manifest).toMatchObject({ releaseId: report.releaseId, project: PROJECT, files: 2 });
  });

  it("reaches every member and proves it by their manifests", async () => {
    const ids = (await groupInstances(fleet, "web")).map((m) => m.instanceId).sort();
    expect(report.members.map((m) => [m.instanceId, m.status, m.releaseId])).toEqual(
      ids.map((id) => [id, "converged", report.releaseId]),
    );
    for (const id of ids) expect(await memberFile(id, "index.html")).toBe("v1");
  });

  it("finishes its journal", async () => {
    expect((await readJournal(journalPath(settings)))?.step).toBe("reconciled");
  });
});

describe("publishing again", () => {
  it("an unchanged tree keeps its release: no snapshot, no pointer change", async () => {
    const before = pointers.current();
    const again = await publisher.publish();
    expect(again).toMatchObject({ result: "unchanged", releaseId: before?.releaseId });
    expect(pointers.current()).toEqual(before);
  });

  it("a change reaches every member as a new release", async () => {
    await writeFile(join(source, "index.html"), "v2\n");
    const r = await publisher.publish();
    expect(r.result).toBe("published");
    expect(r.members.every((m) => m.status === "converged" && m.releaseId === r.releaseId)).toBe(true);
    for (const m of r.members) expect(await memberFile(m.instanceId, "index.html")).toBe("v2");
  });
});

describe("the shrink guard", () => {
  it("refuses an emptied tree with the numbers, and writes nothing anywhere", async () => {
    const before = pointers.current();
    await rm(join(source, "index.html"));
    await rm(join(source, "static"), { recursive: true });
    const r = await publisher.publish();
    expect(r.result).toBe("failed");
    expect(r.error).toBe(
      `refusing to publish ${source}: the tree to publish is empty: files 2 -> 0, bytes 18 -> 0; ` +
        "check the tree, or publish it anyway, once: asg-release publish --allow-shrink",
    );
    expect(pointers.current()).toEqual(before);
    expect(await readFile(join(releaseHost.mountPath, "static/app.js"), "utf8")).toBe("console.log(1)\n");
    for (const m of await groupInstances(fleet, "web"))
      expect(await memberFile(m.instanceId, "static/app.js")).toBe("console.log(1)");
  });

  it("refuses removing more than the share of bytes, unless the operator allows it for that publish", async () => {
    await writeFile(join(source, "index.html"), "v2\n");
    const refused = await publisher.publish();
    expect(refused.error).toMatch(
      /: it would remove 83% of the bytes of the current release, more than release\.max_shrink_percent \(50%\): files 2 -> 1, bytes 18 -> 3; /,
    );
    const allowed = await publisher.publish(undefined, undefined, { allowShrink: true });
    expect(allowed.result).toBe("published");
    for (const m of allowed.members) {
      expect(m).toMatchObject({ status: "converged", releaseId: allowed.releaseId });
      expect(await memberFile(m.instanceId, "index.html")).toBe("v2");
      expect(
        await (await hostOf(fleet, m.instanceId)).sh("test -e /release/static/app.js || echo gone"),
      ).toBe("gone");
    }
    // The override was for that publish only: the next one is judged again (and grows, so it passes).
    await mkdir(join(source, "static"));
    await writeFile(join(source, "static/app.js"), "console.log(1)\n");
    expect((await publisher.publish()).result).toBe("published");
  });
});

describe("recovery", () => {
  it("thaws a volume left frozen by a kill and completes the publish", async () => {
    await writeFile(join(source, "index.html"), "v3\n");
    // As if killed right after `fsfreeze -f`: the journal says frozen, the filesystem is frozen.
    const prior = pointers.current();
    const synced = await publishUpTo("synced");
    await writeJournal(journalPath(settings), advance(synced, "frozen", {}, new Date()));
    await run(["fsfreeze", "--freeze", releaseHost.mountPath]);
    const j = await publisher.recover();
    expect(j).toMatchObject({ step: "reconciled", releaseId: synced.releaseId });
    expect(pointers.current()?.releaseId).toBe(synced.releaseId);
    expect(prior?.releaseId).not.toBe(synced.releaseId);
    // Writable again: the thaw happened.
    await writeFile(join(releaseHost.mountPath, "probe"), "x");
    await run(["rm", join(releaseHost.mountPath, "probe")]);
    for (const m of await groupInstances(fleet, "web"))
      expect(await memberFile(m.instanceId, "index.html")).toBe("v3");
  });

  it("a publish after the recovery finds the tree unchanged", async () => {
    expect((await publisher.publish()).result).toBe("unchanged");
  });
});

describe("retention", () => {
  it("keeps the newest K release snapshots and the current one", async () => {
    const deleted = await applyRetention(server, silentLogger, {
      project: PROJECT,
      keep: settings.retention,
      currentSnapshotId: pointers.current()?.snapshotId,
    });
    expect(deleted.length).toBeGreaterThan(0);
    const left = await fleet.aws.ec2.send(
      new DescribeSnapshotsCommand({
        OwnerIds: ["self"],
        Filters: [{ Name: `tag:${PROJECT_TAG}`, Values: [PROJECT] }],
      }),
    );
    expect(left.Snapshots?.length).toBe(2);
    expect(left.Snapshots?.map((s) => s.SnapshotId)).toContain(pointers.current()?.snapshotId);
  });
});

/** Runs the first step of a publish by hand and leaves its journal there. */
async function publishUpTo(step: "synced") {
  const { syncVolume } = await import("../../release-server/publish/volume-sync.js");
  const j = startJournal(settings.mountPath, new Date());
  const { manifest } = await syncVolume(run, settings, new Date(j.startedAt), pointers.current());
  const synced = advance(
    j,
    step,
    { releaseId: manifest.releaseId, treeHash: manifest.treeHash, files: manifest.files },
    new Date(),
  );
  await writeJournal(journalPath(settings), synced);
  return synced;
}
