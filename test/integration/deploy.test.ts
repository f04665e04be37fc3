// The deploy path in the local region with light instances: deploy, scale, upgrade, replace-all
// and destroy of a two-component project (front behind an ALB target group, back behind a classic
// load balancer).
import { DescribeLaunchTemplatesCommand } from "@aws-sdk/client-ec2";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import {
  envYaml,
  groups,
  groupsByName,
  modelYaml,
  run,
  tagOf,
  useDeployWorld,
  writeFiles,
} from "../support/deploy.js";

const world = useDeployWorld();

const byName = () => groupsByName(world.aws);

describe("deploy of a two-component project", () => {
  it("deploys new components into slot A, attached and healthy", async () => {
    await writeFiles(world, {
      "env.yaml": envYaml(world),
      "v1.yaml": modelYaml({
        front: { image: "reg/front:1", replicas: 2 },
        back: { image: "reg/back:1", replicas: 1 },
      }),
    });
    const r = await run(world, { model: "v1.yaml" });
    expect(r.error?.message).toBeUndefined();
    const g = await byName();
    expect(Object.keys(g).sort()).toEqual(["shop.back_A", "shop.front_A"]);
    expect(tagOf(g["shop.front_A"], "skopos:image_id")).toBe("reg/front:1");
    expect(g["shop.front_A"]!.TargetGroupARNs).toEqual([world.tgArn]);
    expect(g["shop.back_A"]!.LoadBalancerNames).toEqual(["api-elb"]);
    const health = await world.aws.elbv2.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: world.tgArn }),
    );
    expect(health.TargetHealthDescriptions?.map((d) => d.TargetHealth?.State)).toEqual([
      "healthy",
      "healthy",
    ]);
  });

  it("plans nothing when nothing changed", async () => {
    const r = await run(world, { model: "v1.yaml" });
    expect(r.out).toMatch(/nothing to do/);
  });

  it("scales a component in place, reusing its launch template", async () => {
    const before = await byName();
    await writeFiles(world, {
      "v1-scaled.yaml": modelYaml({
        front: { image: "reg/front:1", replicas: 3 },
        back: { image: "reg/back:1", replicas: 1 },
      }),
    });
    const r = await run(world, { model: "v1-scaled.yaml" });
    expect(r.error?.message).toBeUndefined();
    expect(r.out).toMatch(/front: scale: replicas 2 -> 3/);
    const g = await byName();
    expect(Object.keys(g).sort()).toEqual(["shop.back_A", "shop.front_A"]);
    expect(g["shop.front_A"]!.DesiredCapacity).toBe(3);
    expect(g["shop.front_A"]!.CreatedTime).toEqual(before["shop.front_A"]!.CreatedTime);
    const health = await world.aws.elbv2.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: world.tgArn }),
    );
    expect(health.TargetHealthDescriptions?.filter((d) => d.TargetHealth?.State === "healthy")).toHaveLength(
      3,
    );
  });

  it("upgrades a component into the free slot, switches the load balancer and retires the old slot", async () => {
    await writeFiles(world, {
      "v2.yaml": modelYaml({
        front: { image: "reg/front:1", replicas: 3 },
        back: { image: "reg/back:2", replicas: 1 },
      }),
    });
    const r = await run(world, { model: "v2.yaml" });
    expect(r.error?.message).toBeUndefined();
    expect(r.out).toMatch(/back: upgrade: image reg\/back:1 -> reg\/back:2: slot B/);
    const g = await byName();
    expect(Object.keys(g).sort()).toEqual(["shop.back_B", "shop.front_A"]);
    expect(g["shop.back_B"]!.LoadBalancerNames).toEqual(["api-elb"]);
    expect(tagOf(g["shop.back_B"], "skopos:image_id")).toBe("reg/back:2");
    const lts = await world.aws.ec2.send(new DescribeLaunchTemplatesCommand({}));
    expect(lts.LaunchTemplates?.map((t) => t.LaunchTemplateName).sort()).toEqual([
      "shop.back_B",
      "shop.front_A",
    ]);
  });

  it("replaces every component with --replace-all, saying why the launch settings are reused", async () => {
    const r = await run(world, { model: "v2.yaml", replaceAll: true });
    expect(r.error?.message).toBeUndefined();
    expect(r.out).toMatch(
      /warning: front: replacing with the same image reg\/front:1 reuses the launch settings of shop.front_A/,
    );
    expect(r.out).toMatch(/cannot re-install a component with a new configuration/);
    const g = await byName();
    expect(Object.keys(g).sort()).toEqual(["shop.back_A", "shop.front_B"]);
    expect(g["shop.front_B"]!.DesiredCapacity).toBe(3);
  });

  it("destroys the project", async () => {
    const r = await run(world, { operation: "destroy" });
    expect(r.error?.message).toBeUndefined();
    expect(await groups(world.aws)).toEqual([]);
    const lts = await world.aws.ec2.send(new DescribeLaunchTemplatesCommand({}));
    expect(lts.LaunchTemplates ?? []).toEqual([]);
  });
});
