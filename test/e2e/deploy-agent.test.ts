// The deploy path with full instances and the real boot agent: a two-component project, `front`
// behind an ALB target group and `back` behind a classic load balancer. The env's user_data is
// cloud-init/agent.yaml, so every instance installs the agent executable, mounts a volume made from
// the release snapshot at /release and serves it from the component's container; the launch
// lifecycle hook the deploy puts on every group holds the instance until the agent completes it, and
// both load balancers probe the containers for real. Covered in order: deploy, a no-op, scale, an
// upgrade keeping the old slot and `rollback` to it, replace-all, and destroy leaving nothing behind.
// An upgrade to an image that never answers is in deploy-agent-abandon.test.ts (it runs beside this
// file: each waits on boots for most of its time).
import { DescribeLifecycleHooksCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeLaunchTemplatesCommand, DescribeVolumesCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { INSTANCE_ID_TAG } from "#shared/release/tags.js";
import { isClean, listOwned } from "../../sim/hosts/owned.js";
import { groups, run, tagOf } from "../support/deploy.js";
import {
  byName,
  expectBootedByAgent,
  healthyInTargetGroup,
  idsOf,
  inServiceInClassic,
  instances,
  page,
  useAgentDeploy,
} from "../support/e2e/agent-deploy.js";
import { waitUntil } from "../support/e2e/fleet.js";

const t = useAgentDeploy("deploy-agent");

describe("deploy with full instances booted by the agent", () => {
  let front: string[] = [];
  let back: string[] = [];

  it("deploys both components into slot A: held by the launch hook until the agent serves the release", async () => {
    const r = await run(t.world, { model: "v1.yaml" });
    expect(r.error?.message).toBeUndefined();
    const g = await byName(t);
    expect(Object.keys(g).sort()).toEqual(["shop.back_A", "shop.front_A"]);
    expect(tagOf(g["shop.front_A"], "skopos:image_digest")).toBe(t.images.good.digest);
    expect(g["shop.front_A"]!.TargetGroupARNs).toEqual([t.world.tgArn]);
    expect(g["shop.back_A"]!.LoadBalancerNames).toEqual(["api-elb"]);
    for (const name of ["shop.front_A", "shop.back_A"]) {
      const hooks = await t.world.aws.autoscaling.send(
        new DescribeLifecycleHooksCommand({ AutoScalingGroupName: name }),
      );
      expect(hooks.LifecycleHooks).toMatchObject([
        {
          LifecycleHookName: "asg-release-launch",
          LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
          HeartbeatTimeout: 120,
        },
      ]);
    }
    front = idsOf(g["shop.front_A"]);
    back = idsOf(g["shop.back_A"]);
    expect(front).toHaveLength(1);
    expect(back).toHaveLength(1);
    expect(await healthyInTargetGroup(t)).toEqual(front);
    expect(await inServiceInClassic(t)).toEqual(back);
    await expectBootedByAgent(t, [...front, ...back]);
  });

  it("plans nothing when nothing changed", async () => {
    const r = await run(t.world, { model: "v1.yaml" });
    expect(r.error?.message).toBeUndefined();
    expect(r.out).toMatch(/nothing to do/);
  });

  it("scales front in place: the new instance joins the target group only once its agent is ready", async () => {
    const r = await run(t.world, { model: "v1-scaled.yaml" });
    expect(r.error?.message).toBeUndefined();
    expect(r.out).toMatch(/front: scale: replicas 1 -> 2/);
    const g = await byName(t);
    const now = idsOf(g["shop.front_A"]);
    expect(now).toHaveLength(2);
    expect(now).toEqual(expect.arrayContaining(front));
    const added = now.filter((id) => !front.includes(id));
    front = now;
    expect(await healthyInTargetGroup(t)).toEqual(front);
    await expectBootedByAgent(t, added);
  });

  it("upgrades front into slot B keeping slot A scaled, then rolls back to it", async () => {
    const up = await run(t.world, { env: "env-keep.yaml", model: "front-2.yaml" });
    expect(up.error?.message).toBeUndefined();
    let g = await byName(t);
    expect(Object.keys(g).sort()).toEqual(["shop.back_A", "shop.front_A", "shop.front_B"]);
    const slotB = idsOf(g["shop.front_B"]);
    expect(slotB).toHaveLength(2);
    expect(tagOf(g["shop.front_B"], "skopos:image_id")).toBe(t.images.good2.ref);
    expect(g["shop.front_A"]!.TargetGroupARNs ?? []).toEqual([]);
    expect(idsOf(g["shop.front_A"])).toEqual(front);
    expect(await healthyInTargetGroup(t)).toEqual(slotB);
    await expectBootedByAgent(t, slotB);
    // The kept instances still run and serve: a rollback needs no boot.
    for (const i of await instances(t, front)) expect(await page(i.PrivateIpAddress)).toBe("release r1\n");

    const back2 = await run(t.world, { env: "env-keep.yaml", operation: "rollback" });
    expect(back2.error?.message).toBeUndefined();
    expect(back2.out).toMatch(/front: rollback: shop\.front_B -> kept slot shop\.front_A/);
    g = await byName(t);
    expect(Object.keys(g).sort()).toEqual(["shop.back_A", "shop.front_A"]);
    expect(g["shop.front_A"]!.TargetGroupARNs).toEqual([t.world.tgArn]);
    expect(idsOf(g["shop.front_A"])).toEqual(front);
    expect(await healthyInTargetGroup(t)).toEqual(front);
    expect(new Set((await instances(t, slotB)).map((i) => i.State?.Name))).toEqual(new Set(["terminated"]));
  });

  it("replaces every component with --replace-all: new slots, served by freshly booted instances", async () => {
    const r = await run(t.world, { model: "v1-scaled.yaml", replaceAll: true });
    expect(r.error?.message).toBeUndefined();
    expect(r.out).toMatch(/warning: front: replacing with the same image .* reuses the launch settings/);
    const g = await byName(t);
    expect(Object.keys(g).sort()).toEqual(["shop.back_B", "shop.front_B"]);
    const newFront = idsOf(g["shop.front_B"]);
    const newBack = idsOf(g["shop.back_B"]);
    expect(newFront).toHaveLength(2);
    expect(newBack).toHaveLength(1);
    expect(newFront.some((id) => front.includes(id))).toBe(false);
    expect(await healthyInTargetGroup(t)).toEqual(newFront);
    expect(await inServiceInClassic(t)).toEqual(newBack);
    await expectBootedByAgent(t, [...newFront, ...newBack]);
  });

  it("destroys the project: no groups, templates, instances or release volumes, and a clean machine", async () => {
    const all = (await instances(t, [])).map((i) => i.InstanceId!);
    const r = await run(t.world, { operation: "destroy" });
    expect(r.error?.message).toBeUndefined();
    expect(await groups(t.world.aws)).toEqual([]);
    const lts = await t.world.aws.ec2.send(new DescribeLaunchTemplatesCommand({}));
    expect(lts.LaunchTemplates ?? []).toEqual([]);
    expect(new Set((await instances(t, all)).map((i) => i.State?.Name))).toEqual(new Set(["terminated"]));
    // The agent's volumes go with their instances (DeleteOnTermination), a moment after them.
    const left = async () => {
      const out = await t.world.aws.ec2.send(
        new DescribeVolumesCommand({ Filters: [{ Name: "tag-key", Values: [INSTANCE_ID_TAG] }] }),
      );
      return (out.Volumes ?? [])
        .filter((v) => v.State !== "deleted")
        .map((v) => ({
          volume: v.VolumeId,
          state: v.State,
          instance: v.Tags?.find((t) => t.Key === INSTANCE_ID_TAG)?.Value,
          attachments: v.Attachments?.map((a) => `${a.InstanceId} ${a.State} ${a.DeleteOnTermination}`),
        }));
    };
    await waitUntil(
      "the release volumes deleted",
      async () => ((await left()).length ? undefined : true),
      30_000,
    ).catch(() => undefined);
    expect(await left()).toEqual([]);

    const { sim, aws, dir } = t.fleet!;
    expect(sim.sim.backgroundErrors()).toEqual([]);
    // Stopped here, without the reclaim that fleet.stop() adds, so that a leak shows.
    t.fleet = undefined;
    t.stopped = dir;
    aws.destroy();
    await sim.stop();
    const owned = listOwned(sim.stateDir);
    expect(owned).toEqual({ processes: [], mounts: [], loopDevices: [], cgroups: [], files: [] });
    expect(isClean(owned)).toBe(true);
  });
});
