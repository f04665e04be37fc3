// The groups the deploy path makes are the release server's targets without naming them: a server
// configuration without `targets` pushes to the groups tagged with its project (the tags
// `asg-release deploy` puts on them), never to another group, and a group made later is picked up by
// the next reconcile of the same publisher, with no restart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverSchema } from "#shared/config/server.js";
import { settingsFrom } from "../../release-server/config.js";
import { tagKeys } from "../../release-server/deploy/tags.js";
import { listMembers } from "../../release-server/publish/list-members.js";
import type { Publisher } from "../../release-server/publish/pipeline.js";
import type { PublishSettings } from "../../release-server/publish/settings.js";
import {
  createGroup,
  groupInstances,
  hostOf,
  startFleet,
  waitForSshd,
  type Fleet,
} from "../support/e2e/fleet.js";
import { setUpPublishWorld, type PublishWorld } from "../support/publish.js";

const PROJECT = "shop";
let fleet: Fleet;
let world: PublishWorld;
let targets: PublishSettings["targets"];
let publisher: Publisher;

/** The tags the deploy path puts on a group of the project's component (its default tag_prefix). */
function deployTags(component: string): Record<string, string> {
  const keys = tagKeys("skopos:");
  return { [keys.project]: PROJECT, [keys.compName]: component, [keys.imageId]: "shop/web:1" };
}

/** A group made as the deploy path makes it, with its members' ssh servers up. */
async function deployGroup(name: string, component: string): Promise<string[]> {
  await createGroup(fleet, name, 1, { tags: deployTags(component) });
  const ids = (await groupInstances(fleet, name)).map((m) => m.instanceId);
  for (const id of ids) await waitForSshd(await hostOf(fleet, id));
  return ids;
}

beforeAll(async () => {
  fleet = await startFleet("pub-targets");
  // Its group "web" carries no project tag: it is not the project's, as far as the server knows.
  world = await setUpPublishWorld(fleet, PROJECT, {
    reconcileDeadlineMs: 60_000,
    unreachable: { attempts: 3, afterMs: 60_000 },
  });
  const config = serverSchema.parse({
    project: PROJECT,
    source: world.source,
    ssh: { key: world.settings.ssh.identityFile, known_hosts: world.settings.ssh.knownHostsFile },
  });
  targets = settingsFrom(config, world.settings.stateDir).publish.targets;
  publisher = world.publisher({ targets });
});

afterAll(async () => {
  await fleet?.stop();
});

describe("a server configuration without targets", () => {
  it("pushes to the groups the deploy path made for its project, and to no other", async () => {
    const web = await deployGroup(`${PROJECT}.web_A`, "web");
    const listed = await listMembers(fleet.aws, targets);
    expect(listed.map((m) => [m.instanceId, m.asg])).toEqual(web.map((id) => [id, `${PROJECT}.web_A`]));

    const report = await publisher.publish();
    expect(report.result).toBe("published");
    expect(report.members).toEqual(
      web.map((instanceId) =>
        expect.objectContaining({ instanceId, status: "converged", releaseId: report.releaseId }),
      ),
    );
    expect(await (await hostOf(fleet, web[0] ?? "")).sh("cat /release/index.html")).toBe("v1");
    // The untagged group got nothing.
    expect(await world.hosts[0].sh("ls -A /release")).toBe("");
  });

  it("picks up a group made later at the next reconcile, without a restart", async () => {
    const api = await deployGroup(`${PROJECT}.api_A`, "api");
    const result = await publisher.reconcileCurrent(60_000);
    expect(result?.members.filter((m) => m.status !== "converged")).toEqual([]);
    expect(result?.converged).toBe(true);
    expect(result?.members.filter((m) => m.asg === `${PROJECT}.api_A`).map((m) => m.instanceId)).toEqual(api);
    expect(result?.members).toHaveLength(2);
    expect(await (await hostOf(fleet, api[0] ?? "")).sh("cat /release/index.html")).toBe("v1");
  });
});
