// image_check_type in the plan (the reported image itself: test/unit/shared/registry/), and the model
// attributes the plugin maps (and those it does not).
import { describe, expect, it } from "vitest";
import { parseSource } from "#shared/config/load.js";
import { loadModel } from "#shared/config/model.js";
import { baseEnv, env, group, model, observed, plan, request } from "../../../../support/deploy-fixtures.js";

describe("image_check_type", () => {
  const running = () =>
    observed({ groups: [group("shop.front_A", { imageId: "reg/front:latest", digest: "sha256:old" })] });

  it('docker: "if an application model specifies an image ID that\'s the same as what was used on a previous deploy/upgrade, it will still be seen as different and cause component upgrade to be planned"', () => {
    const e = env(baseEnv.replace("image_check_type: none", "image_check_type: docker"));
    const p = plan(
      request(e, model({ front: "reg/front:latest" }), { digests: { "reg/front:latest": "sha256:new" } }),
      running(),
    );
    expect(p.changes.map((c) => [c.kind, c.reason])).toEqual([
      ["upgrade", "image reg/front:unknown -> reg/front:latest: slot B, 2 replicas"],
    ]);
    const created = p.changes[0]?.actions.find((a) => a.kind === "createGroup");
    expect(created).toMatchObject({
      tags: { "skopos:image_digest": "sha256:new", "skopos:image_id": "reg/front:latest" },
    });
  });

  it("docker, same digest: the same version, nothing to do", () => {
    const e = env(baseEnv.replace("image_check_type: none", "image_check_type: docker"));
    const r = request(e, model({ front: "reg/front:latest" }), {
      digests: { "reg/front:latest": "sha256:old" },
    });
    expect(plan(r, running()).changes).toEqual([]);
  });

  it("docker, a group without a stored digest (made with none, or by hand): nothing to compare, nothing to do", () => {
    const e = env(baseEnv.replace("image_check_type: none", "image_check_type: docker"));
    const r = request(e, model({ front: "reg/front:latest" }), {
      digests: { "reg/front:latest": "sha256:new" },
    });
    const made = observed({ groups: [group("shop.front_A", { imageId: "reg/front:latest" })] });
    expect(plan(r, made).changes).toEqual([]);
  });

  it("docker, a running image gone from its registry reads unknown", () => {
    const e = env(baseEnv.replace("image_check_type: none", "image_check_type: docker"));
    const r = request(e, model({ front: "reg/front:2" }), {
      digests: { "reg/front:2": "sha256:new", "reg/front:latest": null },
    });
    expect(plan(r, running()).changes.map((c) => c.reason)).toEqual([
      "image reg/front:unknown -> reg/front:2: slot B, 2 replicas",
    ]);
  });

  it('none: "replacing the image while keeping the same ID will not be detected as a change and no component upgrade will be planned"', () => {
    expect(plan(request(env(baseEnv), model({ front: "reg/front:latest" })), running()).changes).toEqual([]);
  });
});

describe("Limited support for model attributes", () => {
  it('"The following model attributes are not mapped: env, volumes, provides, uses, labels."', () => {
    const plain = plan(request(env(baseEnv), model({ front: "reg/front:1" })), observed());
    const text = [
      "doctype: com.datagridsys.doctype/skopos/model",
      "version: 1",
      "components:",
      "  front:",
      "    image: reg/front:1",
      "    replicas: 2",
      "    env: {A: b}",
      "    volumes: [/data]",
      "    provides: {ports: [80]}",
      "    uses: {db: {}}",
      "    labels: {tier: web}",
    ].join("\n");
    const loaded = loadModel(parseSource("m.yaml", text).source!);
    expect(loaded.issues.map((i) => i.message)).toEqual(
      Array(5).fill("not mapped to EC2 by the ec2-asg plugin; ignored"),
    );
    expect(plan(request(env(baseEnv), loaded.model!.model), observed())).toEqual(plain);
  });

  it("image maps to user_data and the image tag, replicas to the group's capacity, singleton to at most one instance", () => {
    const p = plan(
      request(env(baseEnv), model({ front: { image: "reg/front:1", replicas: 3 } })),
      observed(),
    );
    expect(p.changes[0]?.actions.find((a) => a.kind === "createGroup")).toMatchObject({
      minSize: 3,
      maxSize: 3,
      desiredCapacity: 3,
      tags: { "skopos:image_id": "reg/front:1" },
    });
  });
});
