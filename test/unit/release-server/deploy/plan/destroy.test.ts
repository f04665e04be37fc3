// Destroying a project, and delegated destroy (docs/spec/deploy.md#delegated-destroy): instances of the
// listed components are detached and handed to the handler with exactly the specified fields instead of being
// terminated.
import { describe, expect, it } from "vitest";
import type { ActionOf } from "../../../../../release-server/deploy/actions.js";
import {
  baseEnv,
  env,
  group,
  lbs,
  model,
  observed,
  outline,
  plan,
  request,
  tgArn,
} from "../../../../support/deploy-fixtures.js";

const dd = (extra = "") =>
  env(`${baseEnv}delegated_destroy:\n  uri: http://127.0.0.1:9/handoff\n  components: [back]\n${extra}`);
const o = () =>
  observed({
    groups: [
      group("shop.front_A", { targetGroupArns: [tgArn] }),
      group("shop.back_A", { loadBalancerNames: ["api-elb"] }),
      group("other.front_A"),
    ],
    launchTemplates: [
      { id: "lt-1", name: "shop.front_A", data: {}, defaultVersion: 1 },
      { id: "lt-2", name: "shop.back_A", data: {}, defaultVersion: 1 },
      { id: "lt-3", name: "shop.front_B", data: {}, defaultVersion: 1 },
    ],
  });

describe("destroy", () => {
  it("tears every group of the project down with its launch templates, detached and drained first", () => {
    const p = plan(request(env(baseEnv), undefined, { operation: "destroy" }), o());
    expect(outline(p)).toEqual([
      "back destroy: detachLbs shop.back_A, waitDrained shop.back_A, deleteGroup shop.back_A, waitGroupGone shop.back_A, sweepVolumes shop.back_A, deleteLaunchTemplate shop.back_A",
      "front destroy: detachLbs shop.front_A, waitDrained shop.front_A, deleteGroup shop.front_A, waitGroupGone shop.front_A, sweepVolumes shop.front_A, deleteLaunchTemplate shop.front_A, sweepVolumes shop.front_B, deleteLaunchTemplate shop.front_B",
    ]);
  });

  it("with a model, destroys only the model's components", () => {
    const p = plan(request(env(baseEnv), model({ back: "b:1" }), { operation: "destroy" }), o());
    expect(p.changes.map((c) => c.component)).toEqual(["back"]);
  });
});

describe("delegated destroy", () => {
  it('"Instead of terminating them, the instances are removed from the ASG and handed off to an external API"', () => {
    const p = plan(request(dd(), undefined, { operation: "destroy" }), o());
    expect(outline(p)[0]).toBe(
      "back destroy: detachLbs shop.back_A, waitDrained shop.back_A, setCapacity shop.back_A, markHandoff, detachInstances shop.back_A, postHandoff, clearHandoff, deleteGroup shop.back_A, waitGroupGone shop.back_A, sweepVolumes shop.back_A, deleteLaunchTemplate shop.back_A",
    );
    expect(outline(p)[1]).not.toMatch(/Handoff/);
  });

  it('"On POST, ec2-asg will send the following data": ec2_region, ec2_instance_id, ip_address (private), project, component, user_data ("null, if not set")', () => {
    const bodies = (e: ReturnType<typeof env>) =>
      plan(request(e, undefined, { operation: "destroy" }), o())
        .changes.flatMap((c) => c.actions)
        .filter((a): a is ActionOf<"postHandoff"> => a.kind === "postHandoff")
        .flatMap((a) => a.bodies);
    expect(bodies(dd())[0]).toEqual({
      ec2_region: "us-east-1",
      ec2_instance_id: "i-backA1",
      ip_address: "127.9.0.1",
      project: "shop",
      component: "back",
      user_data: null,
    });
    expect(bodies(dd("  user_data: {queue: q}\n"))[0]?.user_data).toEqual({ queue: "q" });
  });

  it("\"If 'components' is not present or empty, the delegated destroy function is disabled\"", () => {
    const e = env(`${baseEnv}delegated_destroy: {uri: "http://127.0.0.1:9/", components: []}\n`);
    expect(outline(plan(request(e, undefined, { operation: "destroy" }), o())).join()).not.toMatch(/Handoff/);
  });

  it("hands off the instances a scale-down removes", () => {
    const healthy = { ...o(), lbs: lbs(["i-backA1", "i-backA2"]) };
    const p = plan(
      request(
        dd(),
        model({ back: { image: "reg/app:1", replicas: 1 } }, "  api: {type: load_balancer, target: [back]}"),
      ),
      healthy,
    );
    const back = p.changes.find((c) => c.component === "back");
    expect(back?.actions.map((a) => a.kind)).toEqual([
      "setCapacity",
      "markHandoff",
      "detachInstances",
      "postHandoff",
      "clearHandoff",
      "setCapacity",
    ]);
    expect((back?.actions[2] as ActionOf<"detachInstances">).instanceIds).toEqual(["i-backA2"]);
  });

  it("hands off instances a crash left detached but not yet handed off", () => {
    const p = plan(
      request(dd(), model({ back: "reg/app:1" })),
      observed({
        groups: [group("shop.back_A")],
        pendingHandoffs: [{ instanceId: "i-9", component: "back", privateIp: "127.9.9.9" }],
      }),
    );
    expect(p.changes[0]).toMatchObject({ component: "back", kind: "resume" });
    expect(p.changes[0]?.actions.map((a) => a.kind)).toEqual(["postHandoff", "clearHandoff"]);
  });
});
