// Seed 000, launch_config.key: "the name, if given, should be one of the registered ssh key names in
// AWS". The key pairs are read with the state, against the local region.
import { CreateKeyPairCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSim, type SimHandle } from "../../sim/index.js";
import type { AwsClients } from "../../shared/aws/clients.js";
import { observeKeyPairs } from "../../release-server/deploy/observe-keys.js";
import { simClients } from "../helpers/sim.js";

let sim: SimHandle;
let aws: AwsClients;

beforeAll(async () => {
  sim = await startSim();
  aws = simClients(sim, { maxAttempts: 1 });
  await aws.ec2.send(new CreateKeyPairCommand({ KeyName: "ops" }));
});
afterAll(async () => {
  aws.destroy();
  await sim.stop();
});

describe("observeKeyPairs", () => {
  it("lists the registered names among those asked for; a missing one is no error", async () => {
    expect(await observeKeyPairs(aws, ["ops", "opz"])).toEqual(["ops"]);
  });

  it("asks nothing when no key is configured", async () => {
    expect(await observeKeyPairs(aws, [])).toBeUndefined();
  });

  it("skips the check when the policy does not allow ec2:DescribeKeyPairs", async () => {
    sim.setAllowActions(["ec2:DescribeInstances"]);
    try {
      expect(await observeKeyPairs(aws, ["ops"])).toBeUndefined();
    } finally {
      sim.setAllowActions(undefined);
    }
  });
});
