// A member that refuses ssh never holds the publishes queued behind the one that found it: a change
// arriving while a publish runs cuts that publish's reconcile short (the daemon's wiring: the
// scheduler tells the publisher), so the first publish reports the member as it saw it, the second
// one gives up on it by the unreachable rule, and both finish long before the reconcile deadline.
// The scheduled reconcile catches the member up once it answers again.
import { writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Publisher } from "../../release-server/publish/pipeline.js";
import type { PublishReport } from "../../release-server/publish/report.js";
import { PublishScheduler, realTimers } from "../../release-server/watch/run-scheduler.js";
import { startFleet, type Fleet, type Host } from "../support/e2e/fleet.js";
import { setUpPublishWorld, type PublishWorld } from "../support/publish.js";

const PROJECT = "shop";
/** Longer than the suite's test timeout: a publish that waited for the straggler would time out. */
const DEADLINE_MS = 300_000;
let fleet: Fleet;
let world: PublishWorld;
let source: string;
let publisher: Publisher;
let down: Host;
let up: Host;

beforeAll(async () => {
  fleet = await startFleet("publish-superseded");
  world = await setUpPublishWorld(fleet, PROJECT, {
    reconcileDeadlineMs: DEADLINE_MS,
    // The server's defaults.
    unreachable: { attempts: 3, afterMs: 60_000 },
  });
  source = world.source;
  [down, up] = world.hosts;
  publisher = world.publisher();
  expect((await publisher.publish()).result).toBe("published");
  // sshd and the connection the server keeps open to it go: the member refuses ssh.
  await down.sh("P=$(cat /run/sshd.pid); kill $(cat /proc/$P/task/*/children) $P");
});

afterAll(async () => {
  await fleet?.stop();
});

const stragglers = (r: PublishReport) => r.members.filter((m) => m.status === "straggler");
const converged = (r: PublishReport) => r.members.filter((m) => m.status === "converged");

describe("a publish queued behind one that found a member unreachable", () => {
  it("does not wait for it: both publishes finish and report the member with its reason", async () => {
    const scheduler = new PublishScheduler(
      { debounceMs: 0, maxWaitMs: 10_000 },
      (onEvent, opts) => publisher.publish(onEvent, undefined, opts),
      realTimers,
      () => publisher.supersedeReconcile(),
    );
    await writeFile(join(source, "index.html"), "v2\n");
    let second: Promise<PublishReport> | undefined;
    const first = await scheduler.request((ev) => {
      // The pointer of v2 is out and its fan-out starts: a change comes in and waits behind it.
      if (!second && ev.type === "step" && ev.step === "fanned-out" && ev.status === "start") {
        writeFileSync(join(source, "index.html"), "v3\n");
        second = scheduler.request();
      }
    });
    expect(second).toBeDefined();
    const next = await second!;

    expect(first.result).toBe("published");
    expect(first.superseded).toBe(true);
    expect(converged(first).map((m) => [m.instanceId, m.releaseId])).toEqual([
      [up.instanceId, first.releaseId],
    ]);
    // Reported as the superseded reconcile saw it: one pass, not given up on by the rule.
    expect(stragglers(first)).toEqual([
      expect.objectContaining({
        instanceId: down.instanceId,
        reason: expect.stringMatching(/^unreachable: .*Connection refused/),
      }),
    ]);
    expect(stragglers(first)[0]?.reason).not.toMatch(/failed attempts/);

    // The publish queued behind it pushed v3 and gave up on the member by the unreachable rule.
    expect(next.result).toBe("published");
    expect(next.superseded).toBeUndefined();
    expect(next.releaseId).not.toBe(first.releaseId);
    expect(converged(next).map((m) => [m.instanceId, m.releaseId])).toEqual([
      [up.instanceId, next.releaseId],
    ]);
    expect(stragglers(next)).toEqual([
      expect.objectContaining({
        instanceId: down.instanceId,
        reason: expect.stringMatching(/^unreachable: .*Connection refused \(\d+ failed attempts in \d+ s\)$/),
      }),
    ]);
    expect(await up.sh("cat /release/index.html")).toBe("v3");
  });

  it("is caught up by the scheduled reconcile when it answers again", async () => {
    const sshdConfig = join(fleet.sim.stateDir, "hosts", down.instanceId, "ssh", "sshd_config");
    await down.sh(`/usr/sbin/sshd -f ${sshdConfig}`);
    const result = await publisher.reconcileCurrent(30_000);
    expect(result?.converged).toBe(true);
    expect(await down.sh("cat /release/index.html")).toBe("v3");
  });
});
