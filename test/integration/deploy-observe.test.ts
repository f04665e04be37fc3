// Reading the state a plan starts from: vpc by name, subnets by name or wildcard, home_vpc checked
// against the host's VPC from its metadata service, and a number of calls that does not grow with
// the number of instances.
import { CreateTagsCommand, CreateVpcCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEnvironment } from "#shared/config/environment.js";
import { parseSource } from "#shared/config/load.js";
import { imdsHostVpc } from "../../release-server/deploy/observe/home-vpc.js";
import { observe } from "../../release-server/deploy/observe/observe.js";
import type { ImdsData } from "../../sim/hosts/driver.js";
import { startImdsServer, type ImdsServer } from "../../sim/hosts/imds/server.js";
import { freeLoopbackIp } from "../support/loopback.js";
import { envYaml, modelYaml, run, useDeployWorld, writeFiles } from "../support/deploy.js";

const world = useDeployWorld();
let imds: ImdsServer;
let otherVpc: string;

beforeAll(async () => {
  await world.aws.ec2.send(
    new CreateTagsCommand({ Resources: [world.vpcId], Tags: [{ Key: "Name", Value: "main" }] }),
  );
  for (const [i, id] of world.subnetIds.entries()) {
    await world.aws.ec2.send(
      new CreateTagsCommand({ Resources: [id], Tags: [{ Key: "Name", Value: `private-${"abc"[i]}` }] }),
    );
  }
  otherVpc = (await world.aws.ec2.send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }))).Vpc!.VpcId!;
  const ip = await freeLoopbackIp();
  const data: ImdsData = {
    region: "us-east-1",
    availabilityZone: "us-east-1a",
    accountId: world.sim.accountId,
    imageId: "ami-0d3b1a12000000001",
    instanceType: "t3.micro",
    mac: "0e:00:00:00:00:07",
    vpcId: world.vpcId,
    subnetId: world.subnetIds[0]!,
    httpTokens: "required",
  };
  imds = await startImdsServer(
    ip,
    () => ({ instanceId: "i-0release", privateIp: ip, hostname: "release", data }),
    { port: 0 },
  );
});
afterAll(() => imds.close());

function config(text: string) {
  const env = loadEnvironment([parseSource("env.yaml", text).source!]).environment;
  if (!env) throw new Error("bad env");
  return env.ec2Asg;
}

const observeWith = (text: string, components: string[] = ["front"]) =>
  observe(
    { aws: world.aws, region: "us-east-1", hostVpc: imdsHostVpc({ endpoint: imds.endpoint }) },
    { project: "shop", config: config(text), limitedPermissions: false, components },
  );

describe("network", () => {
  it("finds the vpc by its Name tag and lists its subnets with their names", async () => {
    const o = await observeWith(envYaml(world).replace(`vpc: ${world.vpcId}`, "vpc: main"));
    expect(o.network?.vpcId).toBe(world.vpcId);
    expect(o.network?.subnets.map((s) => s.name).sort()).toEqual(["private-a", "private-b", "private-c"]);
  });

  it("home_vpc: uses the host's VPC when vpc is not set", async () => {
    const o = await observeWith(envYaml(world).replace(`vpc: ${world.vpcId}`, "home_vpc: true"));
    expect(o.network?.vpcId).toBe(world.vpcId);
  });

  it("home_vpc: fails the state load when vpc names another VPC than the host's", async () => {
    const err = await observeWith(
      envYaml(world).replace(`vpc: ${world.vpcId}`, `vpc: ${otherVpc}\nhome_vpc: true`),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "HomeVpcMismatch",
      exitCode: 2,
      message: `home_vpc: this host is in ${world.vpcId}, but vpc "${otherVpc}" is ${otherVpc}; run asg-release from a host in ${otherVpc} or fix vpc`,
    });
  });
});

it("reads the state with the same number of calls for 1 and for 6 instances", async () => {
  await writeFiles(world, {
    "env.yaml": envYaml(world),
    "one.yaml": modelYaml({
      front: { image: "reg/front:1", replicas: 1 },
      back: { image: "reg/back:1", replicas: 1 },
    }),
    "six.yaml": modelYaml({
      front: { image: "reg/front:1", replicas: 6 },
      back: { image: "reg/back:1", replicas: 6 },
    }),
  });
  const counts = async () => {
    world.sim.resetCallCounts();
    await observeWith(envYaml(world), ["front", "back"]);
    return Object.fromEntries(
      Object.entries(world.sim.callCounts()).filter(
        ([op]) => !op.startsWith("autoscaling:CompleteLifecycle"),
      ),
    );
  };
  expect((await run(world, { model: "one.yaml" })).error?.message).toBeUndefined();
  const small = await counts();
  expect((await run(world, { model: "six.yaml" })).error?.message).toBeUndefined();
  const large = await counts();
  // The stand-in agent describes groups in the background: compare everything else exactly.
  const mine = (c: Record<string, number>) =>
    Object.fromEntries(Object.entries(c).filter(([op]) => op !== "autoscaling:DescribeAutoScalingGroups"));
  expect(mine(large)).toEqual(mine(small));
  expect(Object.keys(mine(small)).every((op) => /:Describe/.test(op))).toBe(true);
});
