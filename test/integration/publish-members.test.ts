// Listing the target groups' members against the local region (API-only instances): by name and by
// tag, deduplicated, with the same number of calls for 3 members as for 60.
import { CreateAutoScalingGroupCommand, UpdateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMembers } from "../../release-server/publish/list-members.js";
import type { AwsClients } from "#shared/aws/clients.js";
import type { SimHandle } from "../../sim/index.js";
import { createTemplate, defaultSubnets, startAsgSim, waitInService } from "../support/autoscaling.js";
import { simClients } from "../support/sim.js";

let sim: SimHandle;
let aws: AwsClients;

async function group(name: string, size: number, tags: Record<string, string> = {}): Promise<void> {
  const { ids } = await defaultSubnets(aws);
  await aws.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      LaunchTemplate: { LaunchTemplateId: await createTemplate(aws, `${name}-lt`), Version: "$Latest" },
      MinSize: 0,
      MaxSize: 100,
      DesiredCapacity: size,
      VPCZoneIdentifier: ids.join(","),
      ...(Object.keys(tags).length
        ? { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: true })) }
        : {}),
    }),
  );
  await waitInService(aws, name, size);
}

const calls = () => {
  const counts = sim.callCounts();
  return Object.entries(counts)
    .filter(([op]) => /DescribeAutoScalingGroups|DescribeInstances/.test(op))
    .reduce((n, [, c]) => n + c, 0);
};

beforeAll(async () => {
  sim = await startAsgSim();
  aws = simClients(sim);
  await group("web", 3, { "release:target": "shop" });
  await group("api", 2, { "release:target": "shop" });
  await group("batch", 2);
});
afterAll(async () => {
  aws?.destroy();
  await sim?.stop();
});

describe("listMembers", () => {
  it("finds the members of groups named, with their private addresses", async () => {
    const members = await listMembers(aws, { asgNames: ["web"], tags: {} });
    expect(members).toHaveLength(3);
    for (const m of members) {
      expect(m).toMatchObject({ asg: "web", lifecycleState: "InService" });
      expect(m.privateIp).toMatch(/^127\./);
    }
  });

  it("finds the members of groups by tag, and lists a group matched twice once", async () => {
    const members = await listMembers(aws, { asgNames: ["web"], tags: { "release:target": "shop" } });
    expect(members.map((m) => m.asg).sort()).toEqual(["api", "api", "web", "web", "web"]);
  });

  it("makes as many calls for 60 members as for 3", async () => {
    sim.resetCallCounts();
    await listMembers(aws, { asgNames: ["web"], tags: {} });
    const few = calls();
    await aws.autoscaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "web", DesiredCapacity: 60 }),
    );
    await waitInService(aws, "web", 60);
    sim.resetCallCounts();
    expect(await listMembers(aws, { asgNames: ["web"], tags: {} })).toHaveLength(60);
    expect(calls()).toBe(few);
    expect(few).toBe(2);
  });
});
