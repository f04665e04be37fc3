// A member whose instance is stopped while a publish waits for it is dropped, not waited for until
// the reconcile deadline: its group still lists it InService (health checks suspended, as during a
// grace period), but EC2 reports it stopped. Started again, the scheduled reconcile catches it up.
import { SuspendProcessesCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeInstancesCommand, StartInstancesCommand, StopInstancesCommand } from "@aws-sdk/client-ec2";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  groupInstances,
  hostOf,
  startFleet,
  waitUntil,
  type Fleet,
  type Host,
} from "../support/e2e/fleet.js";
import { setUpPublishWorld, type PublishWorld } from "../support/publish.js";

const PROJECT = "shop";
/** Far longer than the test may take: a publish that waited for the member would time the test out. */
const DEADLINE_MS = 600_000;
let fleet: Fleet;
let world: PublishWorld;
let source: string;
let stopped: Host;
let up: Host;

const publisher = () => world.publisher();

const stateOf = async (instanceId: string) => {
  const out = await fleet.aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return out.Reservations?.[0]?.Instances?.[0]?.State?.Name;
};

beforeAll(async () => {
  fleet = await startFleet("publish-stopped");
  world = await setUpPublishWorld(fleet, PROJECT, {
    reconcileDeadlineMs: DEADLINE_MS,
    // Never given up on as unreachable within the test: only the stop can end the wait.
    unreachable: { attempts: 100_000, afterMs: DEADLINE_MS },
  });
  ({ source } = world);
  [stopped, up] = world.hosts;
  // The group keeps its stopped member InService instead of replacing it.
  await fleet.aws.autoscaling.send(
    new SuspendProcessesCommand({
      AutoScalingGroupName: "web",
      ScalingProcesses: ["HealthCheck", "ReplaceUnhealthy"],
    }),
  );
  expect((await publisher().publish()).result).toBe("published");
});

afterAll(async () => {
  await fleet?.stop();
});

describe("a member stopped during a publish", () => {
  it("is dropped from the publish, which completes without it", async () => {
    // The member refuses ssh, so the publish keeps waiting for it ...
    await stopped.sh("P=$(cat /run/sshd.pid); kill $(cat /proc/$P/task/*/children) $P");
    await writeFile(join(source, "index.html"), "v2\n");
    const t0 = performance.now();
    const publishing = publisher().publish();
    await waitUntil("the reachable member to have v2", async () =>
      (await up.sh("cat /release/index.html")) === "v2" ? true : undefined,
    );
    // ... until its instance is stopped.
    await fleet.aws.ec2.send(new StopInstancesCommand({ InstanceIds: [stopped.instanceId] }));
    const report = await publishing;
    expect(performance.now() - t0).toBeLessThan(60_000);
    expect(report.result).toBe("published");
    expect(report.members.map((m) => [m.instanceId, m.status, m.releaseId])).toEqual([
      [up.instanceId, "converged", report.releaseId],
    ]);
    expect(await stateOf(stopped.instanceId)).toMatch(/^(stopping|stopped)$/);
    const members = await groupInstances(fleet, "web");
    expect(members.map((m) => m.instanceId)).toContain(stopped.instanceId);
  });

  it("is caught up by the scheduled reconcile once started again", async () => {
    await waitUntil("the instance to be stopped", async () =>
      (await stateOf(stopped.instanceId)) === "stopped" ? true : undefined,
    );
    await fleet.aws.ec2.send(new StartInstancesCommand({ InstanceIds: [stopped.instanceId] }));
    await waitUntil("the instance to run", async () =>
      (await stateOf(stopped.instanceId)) === "running" ? true : undefined,
    );
    // Same address and host key: the server's known_hosts entry still holds.
    const result = await publisher().reconcileCurrent(60_000);
    expect(result?.converged).toBe(true);
    expect(result?.members.map((m) => m.instanceId).sort()).toEqual(
      [stopped.instanceId, up.instanceId].sort(),
    );
    const again = await hostOf(fleet, stopped.instanceId);
    expect(await again.sh("cat /release/index.html")).toBe("v2");
  });
});
