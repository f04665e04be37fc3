// Crash safety: the agent is killed with SIGKILL at each point of a first boot in turn (each on a
// fresh instance held by the launch hook), then run again. Every second run ends ready, with exactly
// one volume for the instance, the service up and the instance InService; scaling the group to zero
// then leaves no volume behind.
import {
  CreateAutoScalingGroupCommand,
  DescribeScalingActivitiesCommand,
  UpdateAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import {
  CreateLaunchTemplateCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  type Volume,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentStatus } from "../../agent/state.js";
import { INSTANCE_ID_TAG } from "../../shared/release/tags.js";
import { buildBusyboxImage, type BusyboxImage } from "../../sim/testing/busybox-image.js";
import { startRegistry, type Registry } from "../../sim/testing/registry.js";
import { groupInstances, hostOf, KEY_NAME, startFleet, waitUntil, type Fleet } from "../e2e/helpers/fleet.js";
import { AMI } from "../helpers/autoscaling.js";
import {
  buildAgent,
  publishRelease,
  renderTemplate,
  runAgentIn,
  serveAgent,
  type FileServer,
} from "./agent-fleet.js";
import { pointTo, startPointerServer, type PointerServer } from "./agent-support.js";

/** Log lines after which the first run is killed: inside the volume step, then after each step. */
const KILL_POINTS = [
  "created the release volume",
  "attached the release volume",
  "volume: done",
  "mount: done",
  "container: done",
  "readiness: done",
];

let fleet: Fleet;
let registry: Registry;
let image: BusyboxImage;
let agent: FileServer;
let pointer: PointerServer;
const used = new Set<string>();
const instances: string[] = [];

async function liveVolumes(instanceId: string): Promise<Volume[]> {
  const out = await fleet.aws.ec2.send(
    new DescribeVolumesCommand({ Filters: [{ Name: `tag:${INSTANCE_ID_TAG}`, Values: [instanceId] }] }),
  );
  return (out.Volumes ?? []).filter((v) => v.State !== "deleting" && v.State !== "deleted");
}

beforeAll(async () => {
  registry = await startRegistry();
  [image] = await Promise.all([buildBusyboxImage({ registry }), buildAgent()]);
  fleet = await startFleet("agent-kill", { insecureRegistries: [registry.host] });
  agent = await serveAgent();
  pointer = await startPointerServer();
  const subnet = (await fleet.aws.ec2.send(new DescribeSubnetsCommand({}))).Subnets![0]!;
  const snapshotId = await publishRelease(fleet, subnet.AvailabilityZone!, "r1", {
    "www/index.html": "release r1\n",
  });
  pointTo(pointer, "r1", snapshotId);
  const lt = await fleet.aws.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: "kill",
      LaunchTemplateData: {
        ImageId: AMI,
        InstanceType: "t3.micro",
        KeyName: KEY_NAME,
        // Installed and configured, not started: each test starts (and kills) the agent itself.
        UserData: Buffer.from(
          await renderTemplate({ agent, pointerUrl: pointer.url, image: image.ref, start: false }),
        ).toString("base64"),
      },
    }),
  );
  await fleet.aws.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: "kill",
      LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplate!.LaunchTemplateId!, Version: "$Latest" },
      MinSize: 0,
      MaxSize: KILL_POINTS.length,
      DesiredCapacity: KILL_POINTS.length,
      VPCZoneIdentifier: subnet.SubnetId!,
      LifecycleHookSpecificationList: [
        {
          LifecycleHookName: "release-ready",
          LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
          HeartbeatTimeout: 900,
        },
      ],
    }),
  );
});

afterAll(async () => {
  await pointer?.close();
  await agent?.close();
  await fleet?.stop();
  await registry?.stop();
});

describe("the agent killed at any point, then run again", () => {
  it.each(KILL_POINTS)("converges after a kill at %j", async (killAt) => {
    const instanceId = await waitUntil(
      "a fresh instance held by the launch hook",
      async () =>
        (await groupInstances(fleet, "kill")).find(
          (m) => m.state === "Pending:Wait" && !used.has(m.instanceId),
        )?.instanceId,
      90_000,
    );
    used.add(instanceId);
    instances.push(instanceId);
    const host = await hostOf(fleet, instanceId);
    await host.sh("true").catch(async (err: unknown) => {
      const acts = await fleet.aws.autoscaling.send(
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
        await fetch(`${fleet.sim.endpoint}/_sim/ec2/console-output?instanceId=${instanceId}`).then((r) =>
          r.text(),
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

    const first = await runAgentIn(fleet, host, { killAt });
    expect(first.killed).toBe(true);
    expect(first.exitCode).not.toBe(0);

    const second = await runAgentIn(fleet, host);
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
      (await groupInstances(fleet, "kill")).some(
        (m) => m.instanceId === instanceId && m.state === "InService",
      )
        ? true
        : undefined,
    );
  });

  it("leaves no volume behind when the group scales to zero", async () => {
    await fleet.aws.autoscaling.send(
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
