// Limited-permissions mode (docs/spec/deploy.md#limited-permissions): pre-created {prj}.{name}_A and _B
// groups tagged skopos:image_id and skopos:comp_name; asg-release changes only capacities and load balancer
// attachments, and says what to edit when no idle group is set up for the new image.
import { beforeAll, expect, it, vi } from "vitest";
import { noneResolver } from "#shared/registry/resolver.js";
import { createTemplate } from "../support/autoscaling.js";
import { groups, modelYaml, precreateFront, run, useDeployWorld } from "../support/deploy.js";

const world = useDeployWorld(() => ({
  "env.yaml": "lb:\n  web: {target_group: tg-web, port: 8080}\n",
  "v1.yaml": modelYaml({ front: { image: "reg/front:1", replicas: 2 } }),
  "v2.yaml": modelYaml({ front: { image: "reg/front:2", replicas: 2 } }),
  "v3.yaml": modelYaml({ front: { image: "reg/front:3", replicas: 2 } }),
}));
// The record holds only lb, so image_check_type is the default (docker); these images are not in a
// registry, so the test compares them as text.
const deps = { env: { AWS_REGION: "us-east-1" }, resolvers: () => noneResolver };

const precreate = (side: string, image: string) =>
  precreateFront(world, { project: "shop", side, image, maxSize: 4 });

beforeAll(async () => {
  await createTemplate(world.aws, "made-by-hand");
  await precreate("A", "reg/front:1");
  await precreate("B", "reg/front:2");
});

const state = async () =>
  Object.fromEntries(
    (await groups(world.aws)).map((g) => [
      g.AutoScalingGroupName,
      { size: g.DesiredCapacity, max: g.MaxSize, tgs: g.TargetGroupARNs },
    ]),
  );

/** Calls that change something: only capacities, attachments, and the deploy lock. */
const mutating = () =>
  Object.keys(world.sim.callCounts()).filter(
    (op) => !/:(Describe|Get|List)/.test(op) && !op.startsWith("autoscaling:CompleteLifecycleAction"),
  );

it("deploys onto the side whose image tag matches, changing only capacity and attachments", async () => {
  world.sim.resetCallCounts();
  const r = await run(world, { model: "v1.yaml" }, deps);
  expect(r.error?.message).toBeUndefined();
  expect(r.out).toMatch(/limited-permissions mode/);
  expect(await state()).toEqual({
    "shop.front_A": { size: 2, max: 4, tgs: [world.tgArn] },
    "shop.front_B": { size: 0, max: 4, tgs: [] },
  });
  expect(mutating().sort()).toEqual([
    "autoscaling:AttachLoadBalancerTargetGroups",
    "autoscaling:UpdateAutoScalingGroup",
    "ec2:CreateLaunchTemplate",
    "ec2:DeleteLaunchTemplate",
  ]);
});

it("upgrades by scaling up the idle side tagged with the new image and emptying the old one", async () => {
  const r = await run(world, { model: "v2.yaml" }, deps);
  expect(r.error?.message).toBeUndefined();
  expect(await state()).toEqual({
    "shop.front_A": { size: 0, max: 4, tgs: [] },
    "shop.front_B": { size: 2, max: 4, tgs: [world.tgArn] },
  });
});

it("explains what to edit when no idle group is set up for the new image", async () => {
  // The side emptied by the upgrade is idle once its members have terminated.
  await vi.waitFor(
    async () => {
      const a = (await groups(world.aws)).find((g) => g.AutoScalingGroupName === "shop.front_A");
      if ((a?.Instances ?? []).length > 0) throw new Error("shop.front_A still has members");
    },
    { timeout: 20_000, interval: 200 },
  );
  const r = await run(world, { model: "v3.yaml" }, deps);
  expect(r.error?.exitCode).toBe(2);
  expect(r.error?.message).toBe(
    'problem: front: no idle group is set up for reg/front:3: edit shop.front_A (idle) to launch the new version and set its tag skopos:image_id to "reg/front:3" (it is "reg/front:1"); it must differ from the running one',
  );
});

it("destroys by detaching and scaling both sides to zero, keeping the groups", async () => {
  const r = await run(world, { operation: "destroy" }, deps);
  expect(r.error?.message).toBeUndefined();
  expect(await state()).toEqual({
    "shop.front_A": { size: 0, max: 4, tgs: [] },
    "shop.front_B": { size: 0, max: 4, tgs: [] },
  });
});
