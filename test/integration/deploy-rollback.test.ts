// Fast rollback in the local region: with rollout.keep_old_slot an upgrade keeps the old slot scaled
// but detached; `rollback` re-attaches it once healthy and retires the new one; a deploy after the
// kept time has passed retires the kept slot.
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { expect, it } from "vitest";
import { systemClock } from "#shared/poll.js";
import { envYaml, groupsByName, modelYaml, run, tagOf, useDeployWorld } from "../support/deploy.js";

const world = useDeployWorld((w) => ({
  "env.yaml": envYaml(w, "rollout: {keep_old_slot: 1h}\n"),
  "v1.yaml": modelYaml({ front: { image: "reg/front:1", replicas: 1 } }),
  "v2.yaml": modelYaml({ front: { image: "reg/front:2", replicas: 1 } }),
}));

const byName = () => groupsByName(world.aws);
const healthyTargets = async () => {
  const out = await world.aws.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: world.tgArn }));
  return (out.TargetHealthDescriptions ?? [])
    .filter((d) => d.TargetHealth?.State === "healthy")
    .map((d) => d.Target!.Id);
};

it("an upgrade keeps the old slot scaled and detached, tagged with its time", async () => {
  expect((await run(world, { model: "v1.yaml" })).error?.message).toBeUndefined();
  const r = await run(world, { model: "v2.yaml" });
  expect(r.error?.message).toBeUndefined();
  const g = await byName();
  expect(Object.keys(g).sort()).toEqual(["shop.front_A", "shop.front_B"]);
  expect(g["shop.front_A"]!.TargetGroupARNs).toEqual([]);
  expect(g["shop.front_A"]!.DesiredCapacity).toBe(1);
  expect(Date.parse(tagOf(g["shop.front_A"], "skopos:kept_until")!)).toBeGreaterThan(Date.now());
  expect(g["shop.front_B"]!.TargetGroupARNs).toEqual([world.tgArn]);
  expect((await run(world, { model: "v2.yaml" })).out).toMatch(/nothing to do/);
});

it("rollback re-attaches the kept slot once healthy and retires the new one", async () => {
  const kept = (await byName())["shop.front_A"]!.Instances!.map((i) => i.InstanceId);
  const r = await run(world, { operation: "rollback" });
  expect(r.error?.message).toBeUndefined();
  expect(r.out).toMatch(/front: rollback: shop\.front_B -> kept slot shop\.front_A \(reg\/front:1\)/);
  expect(r.out).toMatch(/rolled back: project shop/);
  const g = await byName();
  expect(Object.keys(g)).toEqual(["shop.front_A"]);
  expect(g["shop.front_A"]!.TargetGroupARNs).toEqual([world.tgArn]);
  expect(tagOf(g["shop.front_A"], "skopos:kept_until")).toBeUndefined();
  expect(await healthyTargets()).toEqual(kept);

  const again = await run(world, { operation: "rollback" });
  expect(again.error?.exitCode).toBe(2);
  expect(again.error?.message).toMatch(/no kept slot to roll back to in project shop/);
});

it("a deploy after the kept time has passed retires the kept slot", async () => {
  expect((await run(world, { model: "v2.yaml" })).error?.message).toBeUndefined();
  expect(Object.keys(await byName()).sort()).toEqual(["shop.front_A", "shop.front_B"]);
  // Two hours on: the kept hour has passed.
  const later = { now: () => systemClock.now() + 2 * 3600_000, sleep: systemClock.sleep };
  const r = await run(world, { model: "v2.yaml" }, { clock: later });
  expect(r.error?.message).toBeUndefined();
  expect(r.out).toMatch(/kept until .*, which has passed/);
  expect(Object.keys(await byName())).toEqual(["shop.front_B"]);
});
