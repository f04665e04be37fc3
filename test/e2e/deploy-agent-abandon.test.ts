// An upgrade to an image whose service never answers, with full instances booted by the real agent
// (the world of deploy-agent.test.ts: both components deployed, front with 2 instances): the
// agent's readiness check gives up and it abandons the launch, the group replaces the instance, the
// deploy fails at join_timeout naming what it waited for, tears the new slot down, and the old slot
// keeps serving. Apart from deploy-agent.test.ts so that the two run side by side.
import { DescribeInstancesCommand, DescribeLaunchTemplatesCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { run, tagOf } from "../support/deploy.js";
import {
  byName,
  expectBootedByAgent,
  idsOf,
  inServiceInClassic,
  instances,
  page,
  useAgentDeploy,
} from "../support/e2e/agent-deploy.js";

const t = useAgentDeploy("deploy-agent-abandon");

describe("an upgrade to an image that never answers, with full instances booted by the agent", () => {
  let back: string[] = [];

  it("deploys both components into slot A, front with 2 instances", async () => {
    const r = await run(t.world, { model: "v1-scaled.yaml" });
    expect(r.error?.message).toBeUndefined();
    const g = await byName(t);
    expect(Object.keys(g).sort()).toEqual(["shop.back_A", "shop.front_A"]);
    expect(idsOf(g["shop.front_A"])).toHaveLength(2);
    back = idsOf(g["shop.back_A"]);
    expect(back).toHaveLength(1);
    expect(await inServiceInClassic(t)).toEqual(back);
    await expectBootedByAgent(t, back);
  });

  it("fails an upgrade of back to an image that never answers; back_A keeps serving", async () => {
    const r = await run(t.world, { env: "env-fail.yaml", model: "back-bad.yaml" });
    expect(r.ok).toBe(false);
    expect(r.error?.exitCode).toBe(1);
    expect(r.error?.message).toMatch(/^back: wait for 1 instance\(s\) of shop\.back_B: /);
    expect(r.error?.message).toMatch(
      /not healthy after join_timeout 60 s: i-[0-9a-f]+: lifecycle Pending(:Wait)?, load balancer api-elb: not registered;/,
    );
    // The agent abandoned the launch of the first instance (its service never answered) and the
    // group replaced it: the hook, not a timer, kept it out of the load balancer.
    const launched = await t.world.aws.ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: "tag:aws:autoscaling:groupName", Values: ["shop.back_B"] }],
      }),
    );
    const tried = (launched.Reservations ?? []).flatMap((x) => x.Instances ?? []);
    expect(tried.length).toBeGreaterThanOrEqual(2);
    expect(new Set(tried.map((i) => i.State?.Name))).toEqual(new Set(["terminated"]));
    expect(r.error?.message).toMatch(/the new slot was torn down and the previous one is still serving$/);
    const g = await byName(t);
    expect(Object.keys(g).sort()).toEqual(["shop.back_A", "shop.front_A"]);
    expect(tagOf(g["shop.back_A"], "skopos:image_id")).toBe(t.images.good.ref);
    expect(idsOf(g["shop.back_A"])).toEqual(back);
    expect(await inServiceInClassic(t)).toEqual(back);
    expect(await page((await instances(t, back))[0]!.PrivateIpAddress)).toBe("release r1\n");
    const lts = await t.world.aws.ec2.send(new DescribeLaunchTemplatesCommand({}));
    expect(lts.LaunchTemplates?.map((t) => t.LaunchTemplateName).sort()).toEqual([
      "shop.back_A",
      "shop.front_A",
    ]);
  });
});
