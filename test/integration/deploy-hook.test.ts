// The launch lifecycle hook of an existing group in the local region with light instances: a group
// made with the hook off gets it when the environment turns it on (before its scale-out, so the new
// member is held by it), a second deploy plans nothing, and turning it off deletes only our hook.
import {
  DeleteTagsCommand,
  DescribeLifecycleHooksCommand,
  PutLifecycleHookCommand,
} from "@aws-sdk/client-auto-scaling";
import { describe, expect, it } from "vitest";
import { envYaml, groups, modelYaml, run, tagOf, useDeployWorld } from "../support/deploy.js";

const group = "shop.front_A";
const key = "skopos:lifecycle_hook";

const world = useDeployWorld((w) => {
  const on = envYaml(w);
  const off = on.replace(/^lifecycle_hook:.*$/m, "lifecycle_hook: {enabled: false}");
  expect(off).toMatch(/^lifecycle_hook: \{enabled: false\}$/m);
  return {
    "env.yaml": on.replace(/^lifecycle_hook:.*$/m, "lifecycle_hook: {heartbeat_timeout: 60}"),
    "env-off.yaml": off,
    "one.yaml": modelYaml({ front: { image: "reg/front:1", replicas: 1 } }),
    "two.yaml": modelYaml({ front: { image: "reg/front:1", replicas: 2 } }),
  };
});

const hooks = async () =>
  (
    await world.aws.autoscaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: group }))
  ).LifecycleHooks?.map((h) => ({
    name: h.LifecycleHookName,
    transition: h.LifecycleTransition,
    heartbeat: h.HeartbeatTimeout,
    result: h.DefaultResult,
  }));
const record = async () =>
  tagOf(
    (await groups(world.aws)).find((g) => g.AutoScalingGroupName === group),
    key,
  );

describe("the launch hook of an existing group", () => {
  it("a group created with the hook off has none, and records off", async () => {
    const r = await run(world, { model: "one.yaml", env: "env-off.yaml" });
    expect(r.error?.message).toBeUndefined();
    expect(await hooks()).toEqual([]);
    expect(await record()).toBe("off");
  });

  it("turning the hook on puts it before the scale-out, and records it", async () => {
    const r = await run(world, { model: "two.yaml" });
    expect(r.error?.message).toBeUndefined();
    expect(r.out).toMatch(/front: scale: launch hook asg-release-launch \(60 s, CONTINUE\); replicas 1 -> 2/);
    expect(r.out).toMatch(
      /1\. put launch hook asg-release-launch on shop\.front_A \(heartbeat 60 s, default CONTINUE\): lifecycle_hook changed: off -> asg-release-launch \(60 s, CONTINUE\)\n\s+2\. set shop\.front_A to 2/,
    );
    expect(await hooks()).toEqual([
      {
        name: "asg-release-launch",
        transition: "autoscaling:EC2_INSTANCE_LAUNCHING",
        heartbeat: 60,
        result: "CONTINUE",
      },
    ]);
    expect(await record()).toBe("asg-release-launch;60;CONTINUE");
  });

  it("a second deploy plans nothing for it", async () => {
    const r = await run(world, { model: "two.yaml" });
    expect(r.error?.message).toBeUndefined();
    expect(r.out).toMatch(/nothing to do/);
  });

  it("a group without a record (an earlier version made it) gets the hook put once", async () => {
    await world.aws.autoscaling.send(
      new DeleteTagsCommand({ Tags: [{ ResourceId: group, ResourceType: "auto-scaling-group", Key: key }] }),
    );
    const r = await run(world, { model: "two.yaml" });
    expect(r.error?.message).toBeUndefined();
    expect(r.out).toMatch(
      /has no skopos:lifecycle_hook tag \(made by an earlier version\): the launch hook is put once/,
    );
    expect(await record()).toBe("asg-release-launch;60;CONTINUE");
    expect((await run(world, { model: "two.yaml" })).out).toMatch(/nothing to do/);
  });

  it("turning it off deletes our hook only; another's stays", async () => {
    await world.aws.autoscaling.send(
      new PutLifecycleHookCommand({
        AutoScalingGroupName: group,
        LifecycleHookName: "someone-else",
        LifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
        HeartbeatTimeout: 30,
      }),
    );
    const r = await run(world, { model: "two.yaml", env: "env-off.yaml" });
    expect(r.error?.message).toBeUndefined();
    expect(r.out).toMatch(/front: configure: launch hook off \(asg-release-launch deleted\)/);
    expect((await hooks())?.map((h) => h.name)).toEqual(["someone-else"]);
    expect(await record()).toBe("off");
    expect((await run(world, { model: "two.yaml", env: "env-off.yaml" })).out).toMatch(/nothing to do/);
  });
});
