// user_data {s3: "bucket/key"}: read once per object, only for launch settings the plan creates,
// and rendered with the component's image.
import { expect, it } from "vitest";
import type { ActionOf } from "../../../../../release-server/deploy/actions.js";
import { materialiseUserData } from "../../../../../release-server/deploy/observe/user-data-s3.js";
import { baseEnv, env, model, observed, plan, request } from "../../../../support/deploy-fixtures.js";

it("reads each S3 object once and renders it into every launch template the plan creates", async () => {
  const e = env(baseEnv.replace('user_data: "run {{image_id}}"', "user_data: {s3: cfg/boot.sh}"));
  const p = plan(request(e, model({ front: "reg/front:1", back: "reg/back:1" })), observed());
  const reads: string[] = [];
  const filled = await materialiseUserData(p, (bucket, key) => {
    reads.push(`${bucket}/${key}`);
    return Promise.resolve("#!/bin/sh\ndocker run {{image_id}}\n");
  });
  expect(reads).toEqual(["cfg/boot.sh"]);
  const lts = filled.changes
    .flatMap((c) => c.actions)
    .filter((a): a is ActionOf<"createLaunchTemplate"> => a.kind === "createLaunchTemplate");
  expect(lts.map((a) => [a.name, a.data.userData, a.pendingUserData])).toEqual([
    ["shop.front_A", "#!/bin/sh\ndocker run reg/front:1\n", undefined],
    ["shop.back_A", "#!/bin/sh\ndocker run reg/back:1\n", undefined],
  ]);
});

it("reports an S3 object that cannot be rendered as a problem", async () => {
  const e = env(
    baseEnv
      .replace('user_data: "run {{image_id}}"', "user_data: {s3: cfg/boot.yaml}")
      .replace('image_id_subst: "{{image_id}}"', "image_id_path: app.image"),
  );
  const filled = await materialiseUserData(
    plan(request(e, model({ front: "reg/front:1" })), observed()),
    () => Promise.resolve("- a list\n"),
  );
  expect(filled.problems).toHaveLength(1);
  expect(filled.problems[0]).toMatch(/^front: user_data from s3:\/\/cfg\/boot\.yaml: /);
});
