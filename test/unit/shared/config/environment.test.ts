import { describe, expect, it } from "vitest";
import { componentSettings } from "#shared/config/component-settings.js";
import { loadEnvironment } from "#shared/config/environment.js";
import { parseSource } from "#shared/config/load.js";

const load = (...texts: string[]) =>
  loadEnvironment(texts.map((text, i) => parseSource(`env${i}.yaml`, text).source!));

describe("loadEnvironment", () => {
  it("applies the plugin's defaults", () => {
    const { environment } = load(
      "vpc: v\nlaunch_config: {ami: ami-4d795c5a, type: t2.nano}\nimage_id_subst: x\n",
    );
    expect(environment?.limitedPermissions).toBe(false);
    expect(environment?.ec2Asg).toMatchObject({
      home_vpc: false,
      subnets: "*",
      naming_template: "{prj}.{comp}_{slot}",
      tags: {},
      components: {},
      image_check_type: "docker",
      lb: {},
      join_timeout: 360,
      inst_running_timeout: 50,
      lifecycle_hook: {
        enabled: true,
        name: "asg-release-launch",
        heartbeat_timeout: 600,
        default_result: "CONTINUE",
      },
      tag_prefix: "skopos:",
      rollout: { batch_size: "all", min_healthy_percent: 100, bake_time: 0, keep_old_slot: 0 },
    });
  });

  it("exposes limited-permissions mode and the vars as strings", () => {
    const { environment } = load(
      "vars: {N: 3, B: true}\nplugin_config:\n  ec2-asg:\n    lb: {app: my-lb, aux: null}\n",
    );
    expect(environment?.limitedPermissions).toBe(true);
    expect(environment?.vars).toEqual({ N: "3", B: "true" });
    expect(environment?.ec2Asg.lb).toEqual({ app: "my-lb", aux: null });
  });

  it("merges files in order, later ones winning", () => {
    const { environment } = load(
      "vpc: v\nlaunch_config: {ami: ami-4d795c5a, type: t2.nano}\nimage_id_subst: x\n",
      "launch_config: {type: m5.large}\njoin_timeout: 600\n",
    );
    expect(environment?.ec2Asg.launch_config).toEqual({ ami: "ami-4d795c5a", type: "m5.large" });
    expect(environment?.ec2Asg.join_timeout).toBe(600);
  });
});

describe("componentSettings", () => {
  it("merges launch_config and tags with the component winning, and replaces subnets", () => {
    const { environment } = load(
      [
        "vpc: v",
        "subnets: [s-1, s-2]",
        "tags: {team: a, env: prod}",
        "launch_config: {ami: ami-4d795c5a, type: t2.nano, ebs_optimized: true}",
        "image_id_subst: x",
        "components:",
        "  web: {launch_config: {type: t3.large}, tags: {team: web}, subnets: [s-3]}",
      ].join("\n"),
    );
    const config = environment!.ec2Asg;
    expect(componentSettings(config, "web")).toEqual({
      launch_config: { ami: "ami-4d795c5a", type: "t3.large", ebs_optimized: true, kind: "template" },
      tags: { team: "web", env: "prod" },
      subnets: ["s-3"],
      ownLaunchConfig: true,
    });
    expect(componentSettings(config, "api")).toEqual({
      launch_config: { ami: "ami-4d795c5a", type: "t2.nano", ebs_optimized: true, kind: "template" },
      tags: { team: "a", env: "prod" },
      subnets: ["s-1", "s-2"],
      ownLaunchConfig: false,
    });
  });
});
