// docs/spec/deploy.md#user-data-s3: launch_config.user_data read from an S3 object. An object
// that is not there stops `deploy` with exit 2 before any change, like a subnet that does not resolve.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { beforeAll, expect, it } from "vitest";
import { AL2023_AMI } from "../../sim/services/ec2/seed.js";
import { asgRelease, type CliResult } from "../support/sim.js";
import { useSimWorld } from "../support/sim-world.js";

const world = useSimWorld("deploy-user-data-s3-");
let vpc: string;

beforeAll(async () => {
  await world.aws.s3.send(new CreateBucketCommand({ Bucket: "cfg" }));
  vpc = (await world.aws.ec2.send(new DescribeVpcsCommand({}))).Vpcs?.[0]?.VpcId ?? "";
  await writeFile(
    join(world.dir, "model.yaml"),
    'doctype: com.datagridsys.doctype/skopos/model\nversion: 1\ncomponents:\n  front: {image: "reg/front:1", replicas: 1}\n',
  );
});
async function deploy(userData: string): Promise<CliResult> {
  const env = join(world.dir, "env.yaml");
  await writeFile(
    env,
    `vpc: ${vpc}\nimage_check_type: none\nimage_id_subst: "{{image_id}}"\nlaunch_config: {ami: ${AL2023_AMI}, type: t3.micro, user_data: ${userData}}\n`,
  );
  const args = ["deploy", "--env", env, "--model", join(world.dir, "model.yaml")];
  return asgRelease(world.sim, [...args, "--project", "shop", "--yes"]);
}

const mutating = () => Object.keys(world.sim.callCounts()).filter((op) => !/:(Describe|Get|List)/.test(op));

it.each([
  ["{s3: cfg/missing.sh}", "problem: user_data s3://cfg/missing.sh: no such object (NoSuchKey)"],
  ["{s3: nobucket/boot.sh}", "problem: user_data s3://nobucket/boot.sh: no such bucket (NoSuchBucket)"],
])("user_data %s: exit 2 after reads only", async (userData, line) => {
  world.sim.resetCallCounts();
  const r = await deploy(userData);
  expect(r.code).toBe(2);
  expect(r.stderr.split("\n")).toContain(line);
  expect(mutating()).toEqual([]);
});
