// Health-gated switching and resuming: a new slot whose instances fail their health checks is torn
// down while the old slot stays attached and serving; a deploy stopped by a failing AWS call is
// finished by running it again.
import { DescribeLaunchTemplatesCommand } from "@aws-sdk/client-ec2";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { expect, it } from "vitest";
import { envYaml, groups, groupsByName, modelYaml, run, tagOf, useDeployWorld } from "../support/deploy.js";

const world = useDeployWorld((w) => ({
  "env.yaml": envYaml(w).replace("join_timeout: 30", "join_timeout: 6"),
  "v1.yaml": modelYaml({ front: { image: "reg/front:1", replicas: 2 } }),
  "v2.yaml": modelYaml({ front: { image: "reg/front:2", replicas: 2 } }),
  "v3.yaml": modelYaml({ front: { image: "reg/front:3", replicas: 2 } }),
}));

const names = async () => (await groups(world.aws)).map((g) => g.AutoScalingGroupName).sort();
const healthy = async () => {
  const out = await world.aws.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: world.tgArn }));
  return (out.TargetHealthDescriptions ?? [])
    .filter((d) => d.TargetHealth?.State === "healthy")
    .map((d) => d.Target?.Id);
};

it("keeps the old slot attached and serving when the new slot does not become healthy", async () => {
  expect((await run(world, { model: "v1.yaml" })).error?.message).toBeUndefined();
  const [before] = await groups(world.aws);
  const serving = before!.Instances!.map((i) => i.InstanceId).sort();

  world.sicken(/^shop\.front_B$/);
  const r = await run(world, { model: "v2.yaml" });
  world.sicken(undefined);

  expect(r.ok).toBe(false);
  expect(r.error?.exitCode).toBe(1);
  // docs/spec/deploy.md#lb-wait-join fails on a timeout; the error names each instance and its health reason.
  expect(r.error?.message).toMatch(
    /^front: wait for 2 instance\(s\) of shop\.front_B: .*not healthy after join_timeout 6 s: i-[0-9a-f]+: target group tg-web: unhealthy/,
  );
  expect(r.error?.message).toMatch(/the new slot was torn down and the previous one is still serving$/);
  expect(await names()).toEqual(["shop.front_A"]);
  const [after] = await groups(world.aws);
  expect(after!.TargetGroupARNs).toEqual([world.tgArn]);
  expect((await healthy()).sort()).toEqual(serving);
  const lts = await world.aws.ec2.send(new DescribeLaunchTemplatesCommand({}));
  expect(lts.LaunchTemplates?.map((t) => t.LaunchTemplateName)).toEqual(["shop.front_A"]);
});

it("finishes a deploy that a failing call stopped after the new group was made", async () => {
  world.sim.setFault("autoscaling:AttachLoadBalancerTargetGroups", {
    failNext: 1,
    failCode: "ValidationError",
  });
  const first = await run(world, { model: "v2.yaml" });
  expect(first.error?.message).toMatch(/AttachLoadBalancerTargetGroups: .*Injected failure/);
  expect(await names()).toEqual(["shop.front_A", "shop.front_B"]);

  const again = await run(world, { model: "v2.yaml" });
  expect(again.error?.message).toBeUndefined();
  expect(again.out).toMatch(/front: resume: finish switching to shop\.front_B \(reg\/front:2\)/);
  expect(await names()).toEqual(["shop.front_B"]);
  const [g] = await groups(world.aws);
  expect(g!.TargetGroupARNs).toEqual([world.tgArn]);
  expect(await healthy()).toHaveLength(2);
});

it("finishes retiring the old slot when a run stopped after the switch", async () => {
  world.sim.setFault("autoscaling:DeleteAutoScalingGroup", { failNext: 1, failCode: "ValidationError" });
  const first = await run(world, { model: "v3.yaml" });
  expect(first.error?.message).toMatch(/DeleteAutoScalingGroup/);
  const both = await groupsByName(world.aws);
  expect(both["shop.front_B"]?.TargetGroupARNs).toEqual([]);
  expect(tagOf(both["shop.front_A"], "skopos:image_id")).toBe("reg/front:3");

  const again = await run(world, { model: "v3.yaml" });
  expect(again.error?.message).toBeUndefined();
  expect(await names()).toEqual(["shop.front_A"]);
  // The lock was released after the failure: the second run could take it.
  expect(again.err).not.toMatch(/lock/);
});
