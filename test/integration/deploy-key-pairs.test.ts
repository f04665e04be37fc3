// docs/spec/deploy.md#launch-config-key: the name, if given, is a key pair registered in AWS. The key pairs
// are read with the state, against the local region; a name the region does not have stops `deploy` with exit
// 2 before any change.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CreateKeyPairCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { AL2023_AMI } from "../../sim/services/ec2/seed.js";
import { observeKeyPairs } from "../../release-server/deploy/observe/keys.js";
import { asgRelease } from "../support/sim.js";
import { useSimWorld } from "../support/sim-world.js";

const world = useSimWorld("deploy-key-pairs-");

beforeAll(async () => {
  await world.aws.ec2.send(new CreateKeyPairCommand({ KeyName: "ops" }));
});
describe("observeKeyPairs", () => {
  it("lists the registered names among those asked for; a missing one is no error", async () => {
    expect(await observeKeyPairs(world.aws, ["ops", "opz"])).toEqual(["ops"]);
  });

  it("asks nothing when no key is configured", async () => {
    expect(await observeKeyPairs(world.aws, [])).toBeUndefined();
  });

  it("skips the check when the policy does not allow ec2:DescribeKeyPairs", async () => {
    world.sim.setAllowActions(["ec2:DescribeInstances"]);
    try {
      expect(await observeKeyPairs(world.aws, ["ops"])).toBeUndefined();
    } finally {
      world.sim.setAllowActions(undefined);
    }
  });
});

it("deploy with an unregistered key exits 2 naming it, after reads only", async () => {
  const vpc = (await world.aws.ec2.send(new DescribeVpcsCommand({}))).Vpcs?.[0]?.VpcId ?? "";
  const env = join(world.dir, "env.yaml");
  const model = join(world.dir, "model.yaml");
  await writeFile(
    env,
    `vpc: ${vpc}\nimage_check_type: none\nlaunch_config: {ami: ${AL2023_AMI}, type: t3.micro, key: opz}\n`,
  );
  await writeFile(
    model,
    'doctype: com.datagridsys.doctype/skopos/model\nversion: 1\ncomponents:\n  front: {image: "reg/front:1", replicas: 1}\n',
  );
  world.sim.resetCallCounts();
  const args = ["deploy", "--env", env, "--model", model, "--project", "shop", "--yes"];
  const result = await asgRelease(world.sim, args);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(
    /^problem: front: launch_config\.key "opz" is not a registered key pair in us-east-1$/m,
  );
  const mutating = Object.keys(world.sim.callCounts()).filter((op) => !/:(Describe|Get|List)/.test(op));
  expect(mutating).toEqual([]);
  expect(world.sim.callCounts()).toHaveProperty(["ec2:DescribeKeyPairs"]);
});
