// The planner for new components, scaling and upgrades, each rule named by the rule of
// docs/spec/deploy.md it checks.
import { describe, expect, it } from "vitest";
import type { ActionKind, ActionOf, Plan } from "../../../../../release-server/deploy/actions.js";
import {
  baseEnv,
  frontGateway,
  env,
  group,
  instances,
  lbs,
  model,
  observed,
  outline,
  plan,
  request,
  tgArn,
  webGateways,
} from "../../../../support/deploy-fixtures.js";

const find = <K extends ActionKind>(p: Plan, kind: K): ActionOf<K>[] =>
  p.changes.flatMap((c) => c.actions).filter((a): a is ActionOf<K> => a.kind === kind);

describe("new components", () => {
  it('"creates auto-scaling groups (ASG) for each component in the application and creates matching launch configurations for each ASG"', () => {
    const p = plan(
      request(env(baseEnv), model({ front: "reg/front:1", back: "reg/back:1" }, webGateways)),
      observed(),
    );
    expect(p.problems).toEqual([]);
    expect(outline(p)).toEqual([
      "front deploy: createLaunchTemplate shop.front_A, createGroup shop.front_A, attachLbs shop.front_A, waitJoin shop.front_A",
      "back deploy: createLaunchTemplate shop.back_A, createGroup shop.back_A, attachLbs shop.back_A, waitJoin shop.back_A",
    ]);
    expect(p.changes.every((c) => c.actions.every((a) => a.reason.length > 0))).toBe(true);
  });

  it('"The image ID specified for each component ... will be inserted into the launch configuration\'s user_data text"', () => {
    const p = plan(request(env(baseEnv), model({ front: "reg/front:7" })), observed());
    const [lt] = find(p, "createLaunchTemplate");
    expect(lt?.data).toMatchObject({
      imageId: "ami-0123456789abcdef0",
      instanceType: "t3.micro",
      securityGroupIds: ["sg-0123"],
      userData: "run reg/front:7",
      ebsOptimized: false,
    });
  });

  it.each([
    [
      "image_id_path sets doc[key1]...[keyN] in YAML user_data",
      'image_id_path: app.image\nlaunch_config: {ami: ami-0123456789abcdef0, type: t3.micro, user_data: "app: {name: x}"}',
      "app: { name: x, image: reg/front:1 }\n",
    ],
    [
      '"if neither image_id_subst nor image_id_path is given, the user_data string will be left alone"',
      'launch_config: {ami: ami-0123456789abcdef0, type: t3.micro, user_data: "run {{image_id}}"}',
      "run {{image_id}}",
    ],
  ])("%s", (_rule, record, userData) => {
    const p = plan(
      request(env(`vpc: vpc-1\nimage_check_type: none\n${record}`), model({ front: "reg/front:1" })),
      observed(),
    );
    expect(find(p, "createLaunchTemplate")[0]!.data.userData).toBe(userData);
  });

  it('"In this case it is necessary to have per-component settings ... otherwise all components will be created with identical launch config" (warning)', () => {
    const p = plan(
      request(
        env(
          'vpc: vpc-1\nimage_check_type: none\nlaunch_config: {ami: ami-0123456789abcdef0, type: t3.micro, user_data: "x"}',
        ),
        model({ front: "a:1" }),
      ),
      observed(),
    );
    expect(p.warnings.some((w) => w.startsWith("front: user_data is used unchanged"))).toBe(true);
  });

  it('launch_config.kind: configuration creates "launch configurations when chosen"', () => {
    const e = env(baseEnv.replace("launch_config: {", "launch_config: {kind: configuration, "));
    expect(outline(plan(request(e, model({ front: "reg/front:1" })), observed()))).toEqual([
      "front deploy: createLaunchConfiguration shop.front_A, createGroup shop.front_A, waitJoin shop.front_A",
    ]);
  });

  it('"template - name of an existing launch configuration to use as a template ... the settings from the template config will be used as defaults"', () => {
    const e = env(
      'vpc: vpc-1\nimage_check_type: none\nimage_id_subst: "@IMG@"\nlaunch_config: {template: base, type: t3.large}',
    );
    const templateSources = {
      base: {
        imageId: "ami-0aaaaaaaaaaaaaaaa",
        instanceType: "t3.micro",
        keyName: "ops",
        userData: "docker run @IMG@",
        blockDevices: [{ deviceName: "/dev/xvda", volumeSize: 30 }],
      },
    };
    const p = plan(request(e, model({ front: "reg/front:1" })), observed({ templateSources }));
    expect(find(p, "createLaunchTemplate")[0]!.data).toEqual({
      imageId: "ami-0aaaaaaaaaaaaaaaa",
      instanceType: "t3.large",
      keyName: "ops",
      userData: "docker run reg/front:1",
      blockDevices: [{ deviceName: "/dev/xvda", volumeSize: 30 }],
    });
    expect(plan(request(e, model({ front: "reg/front:1" })), observed()).problems).toContain(
      'front: launch_config.template "base": no launch template or launch configuration of that name in us-east-1',
    );
  });

  it('user_data {s3: "bucket/key"}: "the data retrieval will be performed only when a new launch config is being created"', () => {
    const e = env(baseEnv.replace('user_data: "run {{image_id}}"', "user_data: {s3: cfg/boot.sh}"));
    const create = find(
      plan(request(e, model({ front: "reg/front:1" })), observed()),
      "createLaunchTemplate",
    )[0] as ActionOf<"createLaunchTemplate">;
    expect(create.pendingUserData).toMatchObject({
      bucket: "cfg",
      key: "boot.sh",
      imageId: "reg/front:1",
      imageIdSubst: "{{image_id}}",
    });
    const running = observed({ groups: [group("shop.front_A", { imageId: "reg/front:1" })] });
    expect(
      plan(
        request(e, model({ front: { image: "reg/front:1", replicas: 3 } })),
        running,
      ).changes[0]?.actions.map((a) => a.kind),
    ).toEqual(["setCapacity", "waitJoin"]);
  });

  it('"naming_template ... {prj}, {comp} and {slot}" names groups and launch templates', () => {
    const p = plan(
      request(env(`${baseEnv}naming_template: "{prj}-{comp}-{slot}"\n`), model({ front: "reg/front:1" })),
      observed(),
    );
    expect(outline(p)[0]).toMatch(
      /^front deploy: createLaunchTemplate shop-front-A, createGroup shop-front-A/,
    );
  });

  it('"tags ... are set as additional tags on the ASG", merged with per-component tags, with the skopos: tags (tag_prefix replaces the prefix)', () => {
    const e = env(
      `${baseEnv}tags: {team: web, env: prod}\ncomponents: {front: {tags: {env: staging}}}\ntag_prefix: "acme:"\n`,
    );
    const [g] = find(
      plan(request(e, model({ front: "reg/front:1" })), observed()),
      "createGroup",
    ) as ActionOf<"createGroup">[];
    expect(g?.tags).toEqual({
      team: "web",
      env: "staging",
      "acme:project": "shop",
      "acme:comp_name": "front",
      "acme:image_id": "reg/front:1",
    });
  });

  it("every managed group gets the launch lifecycle hook the boot agent completes (lifecycle_hook)", () => {
    const [on] = find(
      plan(request(env(baseEnv), model({ front: "a:1" })), observed()),
      "createGroup",
    ) as ActionOf<"createGroup">[];
    expect(on?.hook).toEqual({
      name: "asg-release-launch",
      heartbeatTimeout: 600,
      defaultResult: "CONTINUE",
    });
    const [off] = find(
      plan(request(env(`${baseEnv}lifecycle_hook: {enabled: false}\n`), model({ front: "a:1" })), observed()),
      "createGroup",
    ) as ActionOf<"createGroup">[];
    expect(off?.hook).toBeUndefined();
  });

  it('"join_timeout ... The default is 360" and "inst_running_timeout ... The default is 50" reach lb_wait_join', () => {
    const [w] = find(
      plan(request(env(baseEnv), model({ front: "a:1" })), observed()),
      "waitJoin",
    ) as ActionOf<"waitJoin">[];
    expect([w?.runningTimeoutSeconds, w?.joinTimeoutSeconds]).toEqual([50, 360]);
  });
});

describe("existing components", () => {
  const webGateways = frontGateway;
  const running = (over = {}) =>
    observed({
      groups: [group("shop.front_A", { imageId: "reg/front:1", targetGroupArns: [tgArn], ...over })],
      lbs: lbs(["i-frontA1", "i-frontA2"]),
    });

  it("plans nothing when the group runs the model's image and replicas, attached and healthy", () => {
    expect(
      plan(request(env(baseEnv), model({ front: "reg/front:1" }, webGateways)), running()).changes,
    ).toEqual([]);
  });

  it.each([
    ["scale up: set capacity, then wait for the new members", 3, ["setCapacity", "waitJoin"]],
    ["scale down: set capacity only", 1, ["setCapacity"]],
  ])("%s", (_rule, replicas, kinds) => {
    const p = plan(
      request(env(baseEnv), model({ front: { image: "reg/front:1", replicas } }, webGateways)),
      running(),
    );
    expect(p.changes.map((c) => [c.kind, c.reason, c.actions.map((a) => a.kind)])).toEqual([
      ["scale", `replicas 2 -> ${replicas}`, kinds],
    ]);
  });

  it("attaches a running group to its load balancer when it is not attached", () => {
    const p = plan(
      request(env(baseEnv), model({ front: "reg/front:1" }, webGateways)),
      running({ targetGroupArns: [] }),
    );
    expect(p.changes[0]?.actions.map((a) => a.kind)).toEqual(["attachLbs", "waitJoin"]);
  });

  it("upgrades into the free slot: bring it up, wait, switch, retire the old slot", () => {
    const p = plan(request(env(baseEnv), model({ front: "reg/front:2" }, webGateways)), running());
    expect(p.changes[0]?.kind).toBe("upgrade");
    expect(p.changes[0]?.reason).toBe("image reg/front:1 -> reg/front:2: slot B, 2 replicas");
    expect(outline(p)).toEqual([
      "front upgrade: createLaunchTemplate shop.front_B, createGroup shop.front_B, attachLbs shop.front_B, waitJoin shop.front_B, detachLbs shop.front_A, waitDrained shop.front_A, deleteGroup shop.front_A, waitGroupGone shop.front_A, sweepVolumes shop.front_A",
    ]);
    expect(p.changes[0]?.onFailure.map((a) => a.kind)).toEqual([
      "detachLbs",
      "deleteGroup",
      "waitGroupGone",
      "sweepVolumes",
      "deleteLaunchTemplate",
    ]);
    const drained = p.changes[0]?.actions.find((a) => a.kind === "waitDrained") as ActionOf<"waitDrained">;
    expect(drained.timeoutSeconds).toBe(5 + 60);
  });

  it("resumes an upgrade whose new group has not launched its members yet, rather than replacing it", () => {
    const o = observed({
      groups: [
        group("shop.front_A", { imageId: "reg/front:1", targetGroupArns: [tgArn] }),
        group("shop.front_B", {
          imageId: "reg/front:2",
          createdTime: "2024-02-01T00:00:00.000Z",
          instances: [],
          desiredCapacity: 2,
        }),
      ],
    });
    const p = plan(request(env(baseEnv), model({ front: "reg/front:2" }, webGateways)), o);
    expect(p.changes.map((c) => c.kind)).toEqual(["resume"]);
    const deleted = p.changes[0]!.actions.flatMap((x) => (x.kind === "deleteGroup" ? [x.group] : []));
    expect(deleted).toEqual(["shop.front_A"]);
  });

  it("finishes an upgrade a crash interrupted: the new slot is waited for, the old one retired", () => {
    const o = observed({
      groups: [
        group("shop.front_A", { imageId: "reg/front:1", targetGroupArns: [tgArn] }),
        group("shop.front_B", {
          imageId: "reg/front:2",
          createdTime: "2024-02-01T00:00:00.000Z",
          instances: instances(2, { lifecycleState: "Pending:Wait", imageId: "reg/front:2" }, "i-b"),
        }),
      ],
      launchTemplates: [{ id: "lt-frontB", name: "shop.front_B", data: {}, defaultVersion: 1 }],
    });
    const p = plan(request(env(baseEnv), model({ front: "reg/front:2" }, webGateways)), o);
    expect(p.changes.map((c) => [c.kind, c.actions.map((a) => a.kind)])).toEqual([
      [
        "resume",
        ["attachLbs", "waitJoin", "detachLbs", "waitDrained", "deleteGroup", "waitGroupGone", "sweepVolumes"],
      ],
    ]);
    expect(p.changes[0]?.onFailure.map((a) => a.kind)).toEqual([
      "deleteGroup",
      "waitGroupGone",
      "sweepVolumes",
      "deleteLaunchTemplate",
    ]);
  });

  it("waits for the old slot's members a target group still drains when a killed run detached it", () => {
    const o = observed({
      groups: [
        group("shop.front_A", { imageId: "reg/front:1" }),
        group("shop.front_B", {
          imageId: "reg/front:2",
          targetGroupArns: [tgArn],
          createdTime: "2024-02-01T00:00:00.000Z",
        }),
      ],
      lbs: lbs(["i-frontB1", "i-frontB2"]),
    });
    const health = (o.lbs["tg-web"] as { health: Record<string, { state: string }> }).health;
    health["i-frontA1"] = { state: "draining" };
    const p = plan(request(env(baseEnv), model({ front: "reg/front:2" }, webGateways)), o);
    expect(outline(p)).toEqual([
      "front resume: waitDrained shop.front_A, deleteGroup shop.front_A, waitGroupGone shop.front_A, sweepVolumes shop.front_A",
    ]);
    delete health["i-frontA1"];
    expect(outline(plan(request(env(baseEnv), model({ front: "reg/front:2" }, webGateways)), o))[0]).toMatch(
      /^front resume: deleteGroup shop.front_A,/,
    );
  });

  it("sweeps and deletes the old slot's launch template a run killed after deleting its group left behind", () => {
    const o = running({ imageId: "reg/front:2" });
    o.launchTemplates = [
      { id: "lt-frontA", name: "shop.front_A", data: {}, defaultVersion: 1 },
      { id: "lt-frontB", name: "shop.front_B", data: {}, defaultVersion: 1 },
    ];
    o.groups = o.groups.map((g) => ({ ...g, name: "shop.front_B" }));
    const p = plan(request(env(baseEnv), model({ front: "reg/front:2" }, webGateways)), o);
    expect(outline(p)).toEqual([
      "front resume: sweepVolumes shop.front_A, deleteLaunchTemplate shop.front_A",
    ]);
    expect(p.changes[0]!.actions[1]!.reason).toBe("left over from a group that is gone");
  });

  it("replaces a new slot's leftover launch template once, and deletes the other slot's", () => {
    const o = observed({
      launchTemplates: [
        { id: "lt-frontA", name: "shop.front_A", data: {}, defaultVersion: 1 },
        { id: "lt-frontB", name: "shop.front_B", data: {}, defaultVersion: 1 },
      ],
    });
    const names = plan(request(env(baseEnv), model({ front: "reg/front:2" })), o)
      .changes[0]!.actions.filter((a) => a.kind.endsWith("LaunchTemplate"))
      .map((a) => `${a.kind} ${"name" in a ? a.name : ""}`);
    expect(names).toEqual([
      "deleteLaunchTemplate shop.front_A",
      "createLaunchTemplate shop.front_A",
      "deleteLaunchTemplate shop.front_B",
    ]);
  });

  it("waits for a group an earlier run started deleting before reusing its slot", () => {
    const o = observed({ groups: [group("shop.front_A", { imageId: "reg/front:1", deleting: true })] });
    expect(outline(plan(request(env(baseEnv), model({ front: "reg/front:2" })), o))[0]).toMatch(
      /^front deploy: waitGroupGone shop.front_A, sweepVolumes shop.front_A, createLaunchTemplate shop.front_B/,
    );
  });

  it("leaves a group named like a slot but not tagged with the project alone", () => {
    const o = observed({ groups: [group("shop.front_A", { managed: false })] });
    const p = plan(request(env(baseEnv), model({ front: "reg/front:2" })), o);
    expect(outline(p)[0]).toMatch(/createGroup shop.front_B, waitJoin shop.front_B$/);
    expect(p.warnings).toContain(
      "shop.front_A is named like a slot of front but has no skopos:project=shop tag: left alone",
    );
  });

  it("removes components that are no longer in the model", () => {
    const o = observed({
      groups: [group("shop.old_A")],
      launchTemplates: [{ id: "lt-1", name: "shop.old_A", data: {}, defaultVersion: 1 }],
    });
    const p = plan(request(env(baseEnv), model({ front: "reg/front:1" })), o);
    expect(p.changes.map((c) => [c.component, c.kind, c.reason])).toEqual([
      ["front", "deploy", "new component: reg/front:1, 2 replicas in slot A"],
      ["old", "destroy", "old is not in the model"],
    ]);
  });
});

it("lists warnings in planning order: pre-flight, the model's components, then those taken down", () => {
  const e = env(baseEnv.replace("port: 8080", "port: 9090").replace("run {{image_id}}", "run it"));
  const o = observed({
    groups: [group("shop.front_A", { managed: false }), group("shop.old_A", { managed: false })],
  });
  expect(plan(request(e, model({ front: "reg/front:2" })), o).warnings).toEqual([
    "lb.web: port 9090 differs from the port of target group tg-web (8080); Auto Scaling registers instances on the target group's port",
    "shop.front_A is named like a slot of front but has no skopos:project=shop tag: left alone",
    "front: image_id_subst matches nothing in user_data; the image id is not passed to instances",
    "shop.old_A has no skopos:project=shop tag: not destroyed",
  ]);
});
