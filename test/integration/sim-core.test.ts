// The local region's wire layer: real SDK clients and the AWS CLI, errors, faults, call counts.
import { DescribeAvailabilityZonesCommand, DescribeRegionsCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSim, type SimHandle } from "../../sim/index.js";
import { awsCli, awsCliError, simClients } from "../support/sim.js";
import type { AwsClients } from "#shared/aws/clients.js";

let sim: SimHandle;
let aws: AwsClients;

beforeAll(async () => {
  sim = await startSim();
  aws = simClients(sim, { maxAttempts: 1 });
});
afterAll(async () => {
  aws.destroy();
  await sim.stop();
});

describe("sim wire layer", () => {
  it("serves EC2 to the SDK", async () => {
    const out = await aws.ec2.send(new DescribeRegionsCommand({}));
    expect(out.Regions?.map((r) => r.RegionName)).toEqual(["us-east-1", "eu-west-1"]);
    const azs = await aws.ec2.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ["us-east-1b"] }));
    expect(azs.AvailabilityZones).toEqual([
      expect.objectContaining({ ZoneName: "us-east-1b", State: "available" }),
    ]);
  });

  it("serves EC2 to the AWS CLI", async () => {
    const out = (await awsCli(sim, ["ec2", "describe-availability-zones"])) as {
      AvailabilityZones: { ZoneName: string }[];
    };
    expect(out.AvailabilityZones.map((z) => z.ZoneName)).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
  });

  it("answers an unknown action with InvalidAction in EC2's error shape", async () => {
    const stderr = await awsCliError(sim, ["ec2", "describe-hosts"]);
    expect(stderr).toContain("InvalidAction");
  });

  it("injects throttling the SDK recognises, and counts calls", async () => {
    sim.resetCallCounts();
    sim.setFault("ec2:DescribeRegions", { failNext: 1 });
    const err = await aws.ec2.send(new DescribeRegionsCommand({})).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "RequestLimitExceeded", $metadata: { httpStatusCode: 503 } });
    const retrying = simClients(sim, { maxAttempts: 3 });
    sim.setFault("ec2:DescribeRegions", { failNext: 2 });
    await expect(retrying.ec2.send(new DescribeRegionsCommand({}))).resolves.toBeDefined();
    retrying.destroy();
    expect(sim.callCounts()["ec2:DescribeRegions"]).toBe(4);
  });

  it("exposes call counts on the control API", async () => {
    const res = await fetch(`${sim.endpoint}/_sim/calls`);
    expect(await res.json()).toHaveProperty(["ec2:DescribeRegions"]);
  });
});
