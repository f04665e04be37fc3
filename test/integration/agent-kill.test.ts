// Crash safety: the agent is killed with SIGKILL at each point of a first boot in turn (each on a
// fresh instance held by the launch hook), then run again. Every second run ends ready, with exactly
// one volume for the instance, the service up and the instance InService; scaling the group to zero
// then leaves no volume behind.
import {
  DescribeScalingActivitiesCommand,
  UpdateAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import { DescribeVolumesCommand, type Volume } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import type { AgentStatus } from "../../agent/state.js";
import { INSTANCE_ID_TAG } from "#shared/release/tags.js";
import { groupInstances, hostOf, waitUntil } from "../support/e2e/fleet.js";
import { runAgentIn } from "../support/agent-fleet.js";
import { useAgentGroup } from "../support/agent-group.js";

/** Log lines after which the first run is killed: inside the volume step, then after each step. */
const KILL_POINTS = [
  "created the release volume",
  "attached the release volume",
  "volume: done",
  "mount: done",
  "container: done",
  "readiness: done",
];

const world = useAgentGroup({
  prefix: "agent-kill",
  group: "kill",
  // Installed and configured, not started: each test starts (and kills) the agent itself.
  start: false,
  maxSize: KILL_POINTS.length,
  desiredCapacity: KILL_POINTS.length,
  heartbeatTimeout: 900,
});
const used = new Set<string>();
const instances: string[] = [];

async function liveVolumes(instanceId: string): Promise<Volume[]> {
  const out = await world.fleet.aws.ec2.send(
    new DescribeVolumesCommand({ Filters: [{ Name: `tag:${INSTANCE_ID_TAG}`, Values: [instanceId] }] }),
  );
  return (out.Volumes ?? []).filter((v) => v.State !== "deleting" && v.State !== "deleted");
}

describe("the agent killed at any point, then run again", () => {
  it.each(KILL_POINTS)("converges after a kill at %j", async (killAt) => {
    const instanceId = await waitUntil(
      "a fresh instance held by the launch hook",
      async () =>
        (await groupInstances(world.fleet, "kill")).find(
          (m) => m.state === "Pending:Wait" && !used.has(m.instanceId),
        )?.instanceId,
      90_000,
    );
    used.add(instanceId);
    instances.push(instanceId);
    const host = await hostOf(world.fleet, instanceId);
    await host.sh("true").catch(async (err: unknown) => {
      const acts = await world.fleet.aws.autoscaling.send(
        new DescribeScalingActivitiesCommand({ AutoScalingGroupName: "kill" }),
      );
      console.error(
        JSON.stringify(
          acts.Activities?.map((a) => [a.Description, a.Cause, a.StatusMessage]),
          null,
          1,
        ),
      );
      console.error(
        await fetch(`${world.fleet.sim.endpoint}/_sim/ec2/console-output?instanceId=${instanceId}`).then(
          (r) => r.text(),
        ),
      );
      throw err;
    });
    await waitUntil("the agent installed and configured by user-data", async () =>
      (await host.sh(
        "test -x /usr/local/bin/asg-release-agent && grep -c @IP@ /etc/asg-release/agent.yaml || true",
      )) === "0"
        ? true
        : undefined,
    );

    const first = await runAgentIn(world.fleet, host, { killAt });
    expect(first.killed).toBe(true);
    expect(first.exitCode).not.toBe(0);

    const second = await runAgentIn(world.fleet, host);
    expect(second.exitCode).toBe(0);
    const status = JSON.parse(await host.sh("/usr/local/bin/asg-release-agent status --json")) as AgentStatus;
    expect(status).toMatchObject({ state: "ready", releaseId: "r1", lifecycle: "CONTINUE" });
    const volumes = await liveVolumes(instanceId);
    expect(volumes.map((v) => v.VolumeId)).toEqual([status.volumeId]);
    expect(volumes[0]!.Attachments?.[0]).toMatchObject({ InstanceId: instanceId, DeleteOnTermination: true });
    expect(await fetch(`http://${host.privateIp}:8080/index.html`).then((r) => r.text())).toBe(
      "release r1\n",
    );
    expect(await host.sh("podman ps --format '{{.Names}}' | wc -l")).toBe("1");
    await waitUntil("InService", async () =>
      (await groupInstances(world.fleet, "kill")).some(
        (m) => m.instanceId === instanceId && m.state === "InService",
      )
        ? true
        : undefined,
    );
  });

  it("leaves no volume behind when the group scales to zero", async () => {
    await world.fleet.aws.autoscaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "kill", DesiredCapacity: 0, MinSize: 0 }),
    );
    await waitUntil(
      "every release volume deleted with its instance",
      async () => {
        for (const id of instances) if ((await liveVolumes(id)).length > 0) return undefined;
        return true;
      },
      100_000,
    );
  });
});
