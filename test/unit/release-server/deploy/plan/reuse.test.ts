// docs/spec/deploy.md#launch-config-reuse: when a launch configuration is made and when it is reused,
// including the limitation for same-image re-installs (docs/spec/deploy.md#same-image-reconfigure), which the
// plan reports, and --reconfigure, which lifts it for the components being replaced.
import { describe, expect, it } from "vitest";
import type { ActionOf } from "../../../../../release-server/deploy/actions.js";
import {
  baseEnv,
  env,
  group,
  instances,
  model,
  observed,
  outline,
  plan,
  request,
} from "../../../../support/deploy-fixtures.js";

const runningData = {
  imageId: "ami-0aaaaaaaaaaaaaaaa",
  instanceType: "t3.small",
  userData: "run reg/front:1",
};
const withRunning = (over = {}) =>
  observed({
    groups: [group("shop.front_A", { imageId: "reg/front:1", ...over })],
    launchTemplates: [{ id: "lt-frontA", name: "shop.front_A", data: runningData, defaultVersion: 1 }],
  });
const creates = (p: ReturnType<typeof plan>) =>
  p.changes
    .flatMap((c) => c.actions)
    .filter((a): a is ActionOf<"createLaunchTemplate"> => a.kind === "createLaunchTemplate");

describe('NOTE: "a new launch configuration is created only if one of the following conditions are met"', () => {
  it('"a launch configuration for this component did not already exist"', () => {
    const [lt] = creates(plan(request(env(baseEnv), model({ front: "reg/front:1" })), observed()));
    expect(lt?.data.instanceType).toBe("t3.micro");
    expect(lt?.reason).toBe("no running instance of front has image reg/front:1");
  });

  it('"there are no running instances of this component that have the same image_id (in this case, even if an LC already existed, it will be replaced by a new one ...)"', () => {
    const o = withRunning({ instances: [], desiredCapacity: 0, minSize: 0, maxSize: 0 });
    o.launchTemplates.push({ id: "lt-frontB", name: "shop.front_B", data: runningData, defaultVersion: 1 });
    const p = plan(request(env(baseEnv), model({ front: "reg/front:1" })), o);
    expect(outline(p)).toEqual([
      "front upgrade: deleteLaunchTemplate shop.front_B, createLaunchTemplate shop.front_B, createGroup shop.front_B, waitJoin shop.front_B, deleteGroup shop.front_A, waitGroupGone shop.front_A, sweepVolumes shop.front_A, deleteLaunchTemplate shop.front_A",
    ]);
    expect(creates(p)[0]?.data.instanceType).toBe("t3.micro");
  });

  it('"If a launch configuration exists and appears to be used by running instances and the associated ASG is tagged as having the same image_id, the existing LC will be re-used"', () => {
    const p = plan(
      request(env(baseEnv), model({ front: { image: "reg/front:1", replicas: 4 } })),
      withRunning(),
    );
    expect(outline(p)).toEqual(["front scale: setCapacity shop.front_A, waitJoin shop.front_A"]);
  });

  it('"the new instances will have the same configuration as the ones that are running, ignoring any configuration provided in the environment file"', () => {
    const changed = env(baseEnv.replace("type: t3.micro", "type: m5.large"));
    expect(
      creates(plan(request(changed, model({ front: { image: "reg/front:1", replicas: 4 } })), withRunning())),
    ).toEqual([]);
  });
});

describe("NOTE: \"ec2-asg cannot be used to re-install an application with a new configuration by 'upgrading' it to one with the same component versions ... even if running Skopos with --replace-all mode or having force-replace: true\"", () => {
  it.each([
    ["--replace-all", { replaceAll: true }],
    ["force-replace", { forceReplace: ["front"] }],
  ])("%s brings up new instances with the running launch settings, and says so", (_flag, over) => {
    const changed = env(baseEnv.replace("type: t3.micro", "type: m5.large"));
    const p = plan(request(changed, model({ front: "reg/front:1" }), over), withRunning());
    expect(p.changes.map((c) => c.kind)).toEqual(["replace"]);
    const [lt] = creates(p);
    expect(lt?.name).toBe("shop.front_B");
    expect(lt?.data).toEqual(runningData);
    expect(lt?.reason).toBe(
      "reuses the settings of shop.front_A: instances with image reg/front:1 run there (docs/spec/deploy.md#launch-config-reuse)",
    );
    expect(p.warnings).toContain(
      "front: replacing with the same image reg/front:1 reuses the launch settings of shop.front_A: ec2-asg cannot re-install a component with a new configuration by upgrading it to the same image id, even with --replace-all or force-replace (docs/spec/deploy.md#same-image-reconfigure); add --reconfigure to apply the environment's launch settings",
    );
  });

  it("force-replace replaces only the components it names", () => {
    const o = observed({
      groups: [
        group("shop.front_A", { imageId: "reg/front:1" }),
        group("shop.back_A", { imageId: "reg/back:1" }),
      ],
    });
    const p = plan(
      request(env(baseEnv), model({ front: "reg/front:1", back: "reg/back:1" }), { forceReplace: ["back"] }),
      o,
    );
    expect(p.changes.map((c) => [c.component, c.kind])).toEqual([["back", "replace"]]);
  });

  it.each([
    ["--replace-all", { replaceAll: true }],
    ["force-replace", { forceReplace: ["front"] }],
  ])("%s with --reconfigure re-installs with the environment's launch settings", (_flag, over) => {
    const changed = env(baseEnv.replace("type: t3.micro", "type: m5.large"));
    const p = plan(
      request(changed, model({ front: "reg/front:1" }), { ...over, reconfigure: true }),
      withRunning(),
    );
    expect(p.changes.map((c) => c.kind)).toEqual(["replace"]);
    const [lt] = creates(p);
    expect(lt?.name).toBe("shop.front_B");
    expect(lt?.data.instanceType).toBe("m5.large");
    expect(lt?.data.imageId).not.toBe(runningData.imageId);
    expect(lt?.reason).toBe("--reconfigure: the environment's launch settings, not the running ones");
    expect(p.warnings.filter((w) => w.includes("reuses the launch settings"))).toEqual([]);
  });

  it("--reconfigure changes only the components being replaced", () => {
    const o = withRunning();
    o.groups.push(group("shop.back_A", { imageId: "reg/back:1" }));
    const p = plan(
      request(env(baseEnv), model({ front: "reg/front:1", back: "reg/back:1" }), {
        forceReplace: ["back"],
        reconfigure: true,
      }),
      o,
    );
    expect(p.changes.map((c) => [c.component, c.kind])).toEqual([["back", "replace"]]);
  });

  it("a re-run after an interrupted replacement finishes it instead of replacing again", () => {
    const o = observed({
      groups: [
        group("shop.front_A", { imageId: "reg/front:1" }),
        group("shop.front_B", {
          imageId: "reg/front:1",
          createdTime: "2024-03-01T00:00:00.000Z",
          instances: instances(2, { imageId: "reg/front:1" }, "i-b"),
        }),
      ],
    });
    const p = plan(request(env(baseEnv), model({ front: "reg/front:1" }), { replaceAll: true }), o);
    expect(outline(p)).toEqual([
      "front resume: deleteGroup shop.front_A, waitGroupGone shop.front_A, sweepVolumes shop.front_A",
    ]);
  });
});
