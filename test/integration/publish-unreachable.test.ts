// A member that refuses ssh does not hold a publish until the reconcile deadline: the publish proves
// the members it can reach, reports the other as a straggler with its reason once it has failed for
// `unreachable` (attempts or time), and the next publish is not delayed by it (the same publisher
// gives up on it at its first failed attempt). The scheduled reconcile catches it up when it answers
// again; a member terminated meanwhile is dropped.
import { TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PublishReport } from "../../release-server/publish/report.js";
import type { PublishSettings } from "../../release-server/publish/settings.js";
import {
  hostOf,
  startFleet,
  waitForSshd,
  waitInService,
  type Fleet,
  type Host,
} from "../support/e2e/fleet.js";
import { setUpPublishWorld, type PublishWorld } from "../support/publish.js";

const PROJECT = "shop";
/** Far longer than the test may take: a publish that waited for it would time the test out. */
const DEADLINE_MS = 600_000;
let fleet: Fleet;
let world: PublishWorld;
let settings: PublishSettings;
let source: string;
let down: Host;
let up: Host;

const publisher = (unreachable: PublishSettings["unreachable"]) => world.publisher({ unreachable });

beforeAll(async () => {
  fleet = await startFleet("publish-unreachable");
  world = await setUpPublishWorld(fleet, PROJECT, {
    reconcileDeadlineMs: DEADLINE_MS,
    unreachable: { attempts: 3, afterMs: 60_000 },
  });
  ({ settings, source } = world);
  [down, up] = world.hosts;
  expect((await publisher(settings.unreachable).publish()).result).toBe("published");
  // sshd and the connection the server keeps open to it go: the member refuses ssh.
  await down.sh("P=$(cat /run/sshd.pid); kill $(cat /proc/$P/task/*/children) $P");
});

afterAll(async () => {
  await fleet?.stop();
});

const stragglers = (r: PublishReport) => r.members.filter((m) => m.status === "straggler");
const converged = (r: PublishReport) => r.members.filter((m) => m.status === "converged");

describe("a member that refuses ssh", () => {
  it("is reported once it has been unreachable for unreachable_after, not at the deadline", async () => {
    await writeFile(join(source, "index.html"), "v2\n");
    // Only the time bound applies here: more attempts than fit in it.
    const report = await publisher({ attempts: 1000, afterMs: 5000 }).publish();
    expect(report.result).toBe("published");
    expect(report.durationMs).toBeLessThan(60_000);
    expect(stragglers(report)).toEqual([
      expect.objectContaining({
        instanceId: down.instanceId,
        reason: expect.stringMatching(
          /^unreachable: ssh: connect to host .* Connection refused \(\d+ failed attempts in \d+ s\)$/,
        ),
      }),
    ]);
    expect(converged(report).map((m) => [m.instanceId, m.releaseId])).toEqual([
      [up.instanceId, report.releaseId],
    ]);
    expect(await up.sh("cat /release/index.html")).toBe("v2");
  });

  it("does not delay the next publish, which supersedes the straggler list", async () => {
    await writeFile(join(source, "index.html"), "v3\n");
    const p = publisher(settings.unreachable);
    const t0 = performance.now();
    const first = await p.publish();
    await writeFile(join(source, "index.html"), "v4\n");
    const second = await p.publish();
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeLessThan(60_000);
    for (const r of [first, second]) {
      expect(r.result).toBe("published");
      expect(stragglers(r).map((m) => m.instanceId)).toEqual([down.instanceId]);
    }
    expect(stragglers(first)[0]?.reason).toMatch(/\(3 failed attempts in \d+ s\)$/);
    // The same publisher carries the member's failures on: the next publish gives up at its first.
    expect(stragglers(second)[0]?.reason).toMatch(/\(4 failed attempts in \d+ s\)$/);
    expect(second.releaseId).not.toBe(first.releaseId);
    expect(converged(second).map((m) => m.releaseId)).toEqual([second.releaseId]);
    expect(await up.sh("cat /release/index.html")).toBe("v4");
  });

  it("is caught up by the scheduled reconcile when it answers again", async () => {
    const sshdConfig = join(fleet.sim.stateDir, "hosts", down.instanceId, "ssh", "sshd_config");
    await down.sh(`/usr/sbin/sshd -f ${sshdConfig}`);
    const result = await publisher(settings.unreachable).reconcileCurrent(30_000);
    expect(result?.converged).toBe(true);
    expect(await down.sh("cat /release/index.html")).toBe("v4");
  });

  it("is dropped, not waited for, once its instance is terminated", async () => {
    await fleet.aws.ec2.send(new TerminateInstancesCommand({ InstanceIds: [down.instanceId] }));
    const result = await publisher(settings.unreachable).reconcileCurrent(DEADLINE_MS);
    expect(result?.members.map((m) => m.instanceId)).not.toContain(down.instanceId);
    expect(result?.members.filter((m) => m.status === "straggler")).toEqual([]);
    // The group replaces it; the replacement is pushed by the next reconcile once its sshd is up.
    const ids = await waitInService(fleet, "web", 2);
    for (const id of ids) await waitForSshd(await hostOf(fleet, id));
    const again = await publisher(settings.unreachable).reconcileCurrent(30_000);
    expect(again?.converged).toBe(true);
    expect(again?.members.map((m) => m.instanceId).sort()).toEqual([...ids].sort());
  });
});
