// docs/spec/deploy.md#limited-permissions: pre-created {prj}.{name}_{side} groups; only capacities and
// load balancer attachments change.
import { describe, expect, it } from "vitest";
import {
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

const limited = env("lb:\n  web: {target_group: tg-web, port: 8080}\n");
const gw = "  web: {type: load_balancer, target: [front]}";
const sides = (a: object, b: object) =>
  observed({
    network: undefined,
    lbs: { "tg-web": lbs()["tg-web"]! },
    groups: [
      group("shop.front_A", { managed: false, maxSize: 6, ...a }),
      group("shop.front_B", {
        managed: false,
        maxSize: 6,
        instances: [],
        desiredCapacity: 0,
        minSize: 0,
        imageId: "reg/front:2",
        ...b,
      }),
    ],
  });

describe("limited-permissions mode", () => {
  it('"create a configuration that contains only the lb section": the record selects the mode', () => {
    expect(limited.limitedPermissions).toBe(true);
  });

  it('upgrade: "edit the group that isn\'t running anything ... set it up to run the new version": the idle side whose skopos:image_id matches is scaled up', () => {
    const p = plan(
      request(limited, model({ front: "reg/front:2" }, gw)),
      sides({ imageId: "reg/front:1", targetGroupArns: [tgArn] }, {}),
    );
    expect(p.mode).toBe("limited");
    expect(outline(p)).toEqual([
      "front upgrade: setCapacity shop.front_B, attachLbs shop.front_B, waitJoin shop.front_B, detachLbs shop.front_A, waitDrained shop.front_A, setCapacity shop.front_A",
    ]);
    const kinds = new Set(p.changes.flatMap((c) => [...c.actions, ...c.onFailure].map((a) => a.kind)));
    expect(
      [...kinds].every((k) =>
        ["setCapacity", "attachLbs", "detachLbs", "waitJoin", "waitDrained"].includes(k),
      ),
    ).toBe(true);
  });

  it("keeps a pre-created group's larger maximum", () => {
    const p = plan(
      request(limited, model({ front: { image: "reg/front:1", replicas: 3 } }, gw)),
      sides({ imageId: "reg/front:1", targetGroupArns: [tgArn] }, {}),
    );
    expect(p.changes[0]?.actions[0]).toMatchObject({
      kind: "setCapacity",
      minSize: 3,
      maxSize: 6,
      desiredCapacity: 3,
    });
  });

  it('"Also, edit its skopos:image_id tag so it matches the image name in the new model file": said plainly when no idle side matches', () => {
    const p = plan(
      request(limited, model({ front: "reg/front:3" }, gw)),
      sides({ imageId: "reg/front:1" }, {}),
    );
    expect(p.problems).toEqual([
      'front: no idle group is set up for reg/front:3: edit shop.front_B (idle) to launch the new version and set its tag skopos:image_id to "reg/front:3" (it is "reg/front:2"); it must differ from the running one',
    ]);
  });

  it('"Both the _A and the _B groups must be created, even if not used immediately"', () => {
    const o = observed({ network: undefined, groups: [group("shop.front_A", { managed: false })] });
    expect(plan(request(limited, model({ front: "reg/app:1" })), o).problems).toEqual([
      "front: limited-permissions mode needs the pre-created groups shop.front_A and shop.front_B, each tagged skopos:comp_name=front and skopos:image_id=<image>; missing or untagged: shop.front_B",
    ]);
  });

  it("destroy detaches and empties the groups, never deleting them", () => {
    const p = plan(
      request(limited, undefined, { operation: "destroy" }),
      sides({ imageId: "reg/front:1", targetGroupArns: [tgArn] }, {}),
    );
    expect(outline(p)).toEqual([
      "front destroy: detachLbs shop.front_A, waitDrained shop.front_A, setCapacity shop.front_A",
    ]);
  });
});
