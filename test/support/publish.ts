// A release host and a group "web" of two plain hosts (no agent: /release is a directory), a
// source tree holding index.html "v1", and publish settings for them with the server's state in
// the fleet's dir. Each test picks its own reconcile deadline and unreachable bounds.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PointerStore } from "../../release-server/api/pointer-store.js";
import { Publisher } from "../../release-server/publish/pipeline.js";
import type { PublishSettings } from "../../release-server/publish/settings.js";
import { silentLogger } from "#shared/log.js";
import { run } from "#shared/proc/run.js";
import { bootReleaseHost, createGroup, groupInstances, hostOf, type Fleet, type Host } from "./e2e/fleet.js";

export interface PublishWorld {
  source: string;
  settings: PublishSettings;
  /** The group's two members, by instance id. */
  hosts: [Host, Host];
  publisher: (overrides?: Partial<PublishSettings>) => Publisher;
}

export async function setUpPublishWorld(
  fleet: Fleet,
  project: string,
  bounds: Pick<PublishSettings, "reconcileDeadlineMs" | "unreachable">,
): Promise<PublishWorld> {
  const releaseHost = await bootReleaseHost(fleet, project);
  await createGroup(fleet, "web", 2);
  const source = join(fleet.dir, "src");
  await mkdir(source, { recursive: true });
  await writeFile(join(source, "index.html"), "v1\n");
  const stateDir = join(fleet.dir, "server");
  await mkdir(stateDir, { recursive: true });
  const pointers = new PointerStore(join(stateDir, "pointer.json"));
  const settings: PublishSettings = {
    project,
    source,
    mountPath: releaseHost.mountPath,
    excludes: [],
    targets: { asgNames: ["web"], tags: {} },
    ssh: {
      user: "root",
      identityFile: fleet.keyPath,
      knownHostsFile: join(stateDir, "known_hosts"),
      controlDir: join(stateDir, "ssh"),
    },
    dest: "/release",
    // These instances run no agent: /release is a plain directory, as in docs/spec/release.md#publish.
    requireMount: false,
    concurrency: 4,
    instanceTimeoutMs: 60_000,
    ...bounds,
    reconcileIntervalMs: 500,
    snapshotTimeoutMs: 60_000,
    maxShrinkPercent: 50,
    retention: 5,
    stateDir,
  };
  const ids = (await groupInstances(fleet, "web")).map((m) => m.instanceId).sort();
  const hosts = (await Promise.all(ids.map((id) => hostOf(fleet, id)))) as [Host, Host];
  const publisher = (overrides: Partial<PublishSettings> = {}) =>
    new Publisher(
      { aws: fleet.aws, run, log: silentLogger, pointers, now: () => new Date() },
      { ...settings, ...overrides },
      async () => releaseHost.volumeId,
    );
  return { source, settings, hosts, publisher };
}
