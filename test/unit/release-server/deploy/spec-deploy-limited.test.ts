// docs/spec/deploy.md#limited-permissions, #limited-groups, #limited-tags and #limited-upgrade: the rules the
// planner checks, each quoted by the test that checks it.
import { describe, expect, it } from "vitest";
import type { ObservedGroup } from "../../../../release-server/deploy/observe/observed.js";
import { env, group, lbs, model, observed, plan, request, tgArn } from "../../../support/deploy-fixtures.js";

const limited = env("lb:\n  web: {target_group: tg-web, port: 8080}\n");
const gw = "  web: {type: load_balancer, target: [front]}";
const tags = { "skopos:comp_name": "front" };

function sides(a: Partial<ObservedGroup>, b: Partial<ObservedGroup>) {
  return observed({
    network: undefined,
    lbs: { "tg-web": lbs()["tg-web"]! },
    groups: [
      group("shop.front_A", { managed: false, imageId: "reg/front:1", targetGroupArns: [tgArn], tags, ...a }),
      group("shop.front_B", {
        managed: false,
        instances: [],
        desiredCapacity: 0,
        minSize: 0,
        imageId: "reg/front:2",
        tags,
        ...b,
      }),
    ],
  });
}

describe("limited-permissions mode (docs/spec/deploy.md#limited-permissions)", () => {
  it('"In this mode Skopos does not update ASG/LC configuration, nor it provides image IDs as user_data"', () => {
    const p = plan(request(limited, model({ front: "reg/front:2" }, gw)), sides({}, {}));
    const actions = p.changes.flatMap((c) => [...c.actions, ...c.onFailure]);
    expect(actions.length).toBeGreaterThan(0);
    expect(
      actions.filter(
        (a) => !["setCapacity", "attachLbs", "detachLbs", "waitJoin", "waitDrained"].includes(a.kind),
      ),
    ).toEqual([]);
    expect(JSON.stringify(p)).not.toContain("userData");
  });

  it('"the required scaling groups for each component class mentioned in the plan are expected to be pre-created"', () => {
    const p = plan(request(limited, model({ front: "reg/front:1" }, gw)), observed({ network: undefined }));
    expect(p.changes).toEqual([]);
    expect(p.problems).toEqual([
      "front: limited-permissions mode needs the pre-created groups shop.front_A and shop.front_B, each tagged skopos:comp_name=front and skopos:image_id=<image>; missing or untagged: shop.front_A, shop.front_B",
    ]);
  });

  it("\"{side} is one of ('A','B')\": the groups are {prj}.{name}_A and {prj}.{name}_B whatever naming_template says elsewhere", () => {
    const p = plan(request(limited, model({ front: "reg/front:2" }, gw)), sides({}, {}));
    expect(new Set(p.changes.flatMap((c) => c.actions.map((a) => ("group" in a ? a.group : ""))))).toEqual(
      new Set(["shop.front_A", "shop.front_B"]),
    );
  });

  it("\"skopos:comp_name - must be set exactly to {name} (same as in the ASG's name itself)\": a group tagged otherwise is not the component's", () => {
    const o = sides({}, {});
    o.groups[1]!.component = "back";
    expect(plan(request(limited, model({ front: "reg/front:2" }, gw)), o).problems).toEqual([
      "front: limited-permissions mode needs the pre-created groups shop.front_A and shop.front_B, each tagged skopos:comp_name=front and skopos:image_id=<image>; missing or untagged: shop.front_B",
    ]);
  });

  it('"skopos:image_id ... should match the image name in the model descriptor file": the side tagged with the model\'s image is the one scaled up', () => {
    const p = plan(
      request(limited, model({ front: "reg/front:2" }, gw)),
      sides({ instances: [], desiredCapacity: 0, minSize: 0 }, {}),
    );
    expect(p.changes.map((c) => [c.kind, c.reason])).toEqual([
      ["deploy", "new component: reg/front:2 on side B"],
    ]);
  });

  it('"It should be different from the one currently running": an idle side still tagged with an old image is not taken', () => {
    const p = plan(request(limited, model({ front: "reg/front:3" }, gw)), sides({}, {}));
    expect(p.changes).toEqual([]);
    expect(p.problems[0]).toContain(
      'edit shop.front_B (idle) to launch the new version and set its tag skopos:image_id to "reg/front:3"',
    );
  });

  it('the tags "MUST be set in the ASG (and configured as "propagated to launched instances")": a group that does not propagate them is named in a warning', () => {
    const p = plan(
      request(limited, model({ front: "reg/front:1" }, gw)),
      sides({}, { unpropagatedTags: ["skopos:image_id", "skopos:comp_name", "team"] }),
    );
    expect(p.problems).toEqual([]);
    expect(p.warnings).toContain(
      'shop.front_B: the tags skopos:image_id, skopos:comp_name are not propagated to launched instances; set "PropagateAtLaunch" on them (docs/spec/deploy.md#limited-tags)',
    );
    expect(p.warnings.filter((w) => w.startsWith("shop.front_A"))).toEqual([]);
    const one = plan(
      request(limited, model({ front: "reg/front:1" }, gw)),
      sides({ unpropagatedTags: ["skopos:comp_name"] }, {}),
    );
    expect(one.warnings).toEqual([
      'shop.front_A: the tag skopos:comp_name is not propagated to launched instances; set "PropagateAtLaunch" on it (docs/spec/deploy.md#limited-tags)',
    ]);
  });
});
