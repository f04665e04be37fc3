// docs/spec/deploy.md#user-data-s3: user_data read from an S3 object. An object that cannot be
// read is a problem of the plan (exit 2, before any change), like any other setting that does not
// resolve; other failures stay operation failures.
import { describe, expect, it } from "vitest";
import { materialiseUserData } from "../../../../release-server/deploy/observe/user-data-s3.js";
import { AwsError } from "#shared/errors.js";
import { baseEnv, env, model, observed, plan, request } from "../../../support/deploy-fixtures.js";

const e = env(baseEnv.replace('user_data: "run {{image_id}}"', "user_data: {s3: cfg/boot.sh}"));
const planned = () => plan(request(e, model({ front: "reg/front:1", back: "reg/back:1" })), observed());
const failing = (code: string) => () =>
  Promise.reject(new AwsError("GetObject", "s3://cfg/boot.sh: failed", { code }));

describe('user_data { "s3" : "bucket/key" } - "retrieve value from S3"', () => {
  it.each([
    ["NoSuchKey", "no such object"],
    ["NoSuchBucket", "no such bucket"],
    ["AccessDenied", "access denied with the credentials asg-release runs with"],
  ])("%s is a problem of the plan, named once", async (code, why) => {
    const filled = await materialiseUserData(planned(), failing(code));
    expect(filled.problems).toEqual([`user_data s3://cfg/boot.sh: ${why} (${code})`]);
  });

  it("any other failure (throttling, network) is an operation failure", async () => {
    await expect(materialiseUserData(planned(), failing("SlowDown"))).rejects.toThrow(
      "GetObject: s3://cfg/boot.sh: failed",
    );
  });
});
