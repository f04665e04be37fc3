// EC2 instances in the local region: RunInstances, DescribeInstances (fields, filters, paging),
// TerminateInstances, DescribeInstanceStatus, instance attributes, the Auto Scaling hook, faults.
import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  DescribeSubnetsCommand,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type Instance,
  type RunInstancesCommandInput,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSim, type SimHandle } from "../../sim/index.js";
import { DEBIAN_12_AMI, UBUNTU_2404_AMI } from "../../sim/services/ec2/seed.js";
import { defaultSubnet } from "../../sim/services/ec2/lookup.js";
import type { AwsClients } from "#shared/aws/clients.js";
import { awsCli, awsCliError, describeInstance, simClients } from "../support/sim.js";

let sim: SimHandle;
let aws: AwsClients;

beforeAll(async () => {
  sim = await startSim({ delays: { instancePendingMs: 50, instanceShutdownMs: 50 } });
  aws = simClients(sim, { maxAttempts: 1 });
});
afterAll(async () => {
  aws.destroy();
  await sim.stop();
});

const region = () => sim.sim.state.region(sim.region)!;

async function run(input: Partial<RunInstancesCommandInput> = {}): Promise<Instance[]> {
  const out = await aws.ec2.send(
    new RunInstancesCommand({ ImageId: DEBIAN_12_AMI, MinCount: 1, MaxCount: 1, ...input }),
  );
  return out.Instances ?? [];
}

const describe1 = (id: string) => describeInstance(aws, id);

async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  const err = (await p.catch((e: unknown) => e)) as { name: string; message: string };
  return { name: err.name, message: err.message };
}

describe("RunInstances", () => {
  it("launches pending instances on loopback addresses that turn running", async () => {
    const [a, b] = await run({
      MinCount: 2,
      MaxCount: 2,
      InstanceType: "t3.small",
      TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "web" }] }],
    });
    expect(a).toMatchObject({
      ImageId: DEBIAN_12_AMI,
      InstanceType: "t3.small",
      State: { Code: 0, Name: "pending" },
      AmiLaunchIndex: 0,
      Placement: { AvailabilityZone: "us-east-1a" },
      Tags: [{ Key: "Name", Value: "web" }],
      RootDeviceName: "/dev/xvda",
      BlockDeviceMappings: [
        { DeviceName: "/dev/xvda", Ebs: { Status: "attached", DeleteOnTermination: true } },
      ],
      SecurityGroups: [{ GroupName: "default" }],
    });
    expect(b?.AmiLaunchIndex).toBe(1);
    expect(a?.PrivateIpAddress).toMatch(/^127\.\d+\.\d+\.\d+$/);
    expect(a?.PrivateIpAddress).not.toBe("127.0.0.1");
    expect(a?.PrivateIpAddress).not.toBe(b?.PrivateIpAddress);
    const subnet = defaultSubnet(region(), "us-east-1a");
    expect(a?.SubnetId).toBe(subnet.subnetId);
    await sim.advanceClock(50);
    expect((await describe1(a!.InstanceId!)).State).toEqual({ Code: 16, Name: "running" });
  });

  it("takes a subnet, security groups by name and metadata options", async () => {
    const subnets = await aws.ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: "availability-zone", Values: ["us-east-1b"] }] }),
    );
    const subnetId = subnets.Subnets![0]!.SubnetId!;
    const profile = (await awsCli(sim, [
      "iam",
      "create-instance-profile",
      "--instance-profile-name",
      "app",
    ])) as {
      InstanceProfile: { InstanceProfileId: string };
    };
    const [i] = await run({
      SubnetId: subnetId,
      SecurityGroups: ["default"],
      MetadataOptions: { HttpTokens: "required", HttpPutResponseHopLimit: 2 },
      IamInstanceProfile: { Name: "app" },
      UserData: Buffer.from("#!/bin/sh\necho hi\n").toString("base64"),
    });
    expect(i).toMatchObject({
      SubnetId: subnetId,
      Placement: { AvailabilityZone: "us-east-1b" },
      MetadataOptions: { HttpTokens: "required", HttpPutResponseHopLimit: 2, HttpEndpoint: "enabled" },
      IamInstanceProfile: {
        Arn: `arn:aws:iam::${sim.accountId}:instance-profile/app`,
        Id: profile.InstanceProfile.InstanceProfileId,
      },
    });
    expect(await errorOf(run({ IamInstanceProfile: { Name: "nope" } }))).toEqual({
      name: "InvalidParameterValue",
      message:
        "Value (nope) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name",
    });
    const attr = await aws.ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: i!.InstanceId!, Attribute: "userData" }),
    );
    expect(Buffer.from(attr.UserData!.Value!, "base64").toString()).toBe("#!/bin/sh\necho hi\n");
  });

  it("refuses unknown images, subnets, groups and key pairs with EC2's codes", async () => {
    expect(await errorOf(run({ ImageId: "ami-00000000000000000" }))).toEqual({
      name: "InvalidAMIID.NotFound",
      message: "The image id '[ami-00000000000000000]' does not exist",
    });
    expect((await errorOf(run({ ImageId: "debian" }))).name).toBe("InvalidAMIID.Malformed");
    expect((await errorOf(run({ SubnetId: "subnet-00000000000000000" }))).name).toBe(
      "InvalidSubnetID.NotFound",
    );
    expect((await errorOf(run({ SecurityGroupIds: ["sg-00000000000000000"] }))).name).toBe(
      "InvalidGroup.NotFound",
    );
    expect((await errorOf(run({ SecurityGroups: ["nope"] }))).name).toBe("InvalidGroup.NotFound");
    expect(await errorOf(run({ KeyName: "missing" }))).toEqual({
      name: "InvalidKeyPair.NotFound",
      message: "The key pair 'missing' does not exist",
    });
    expect((await errorOf(run({ MinCount: 3, MaxCount: 2 }))).name).toBe("InvalidParameterValue");
  });

  it("is idempotent per ClientToken", async () => {
    const [first] = await run({ ClientToken: "token-1" });
    const [again] = await run({ ClientToken: "token-1" });
    expect(again?.InstanceId).toBe(first?.InstanceId);
  });
});

describe("DescribeInstances", () => {
  it("filters by state, tags, placement, address, image, type", async () => {
    const [i] = await run({
      ImageId: UBUNTU_2404_AMI,
      InstanceType: "c7g.large",
      TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "role", Value: "filter-me" }] }],
    });
    const id = i!.InstanceId!;
    const ids = async (filters: { Name: string; Values: string[] }[]): Promise<string[]> => {
      const out = await aws.ec2.send(new DescribeInstancesCommand({ Filters: filters }));
      return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((x) => x.InstanceId!);
    };
    expect(await ids([{ Name: "tag:role", Values: ["filter-me"] }])).toEqual([id]);
    expect(await ids([{ Name: "tag:role", Values: ["filter-*"] }])).toEqual([id]);
    expect(await ids([{ Name: "tag:role", Values: ["filter-m?"] }])).toEqual([id]);
    expect(await ids([{ Name: "tag-key", Values: ["role"] }])).toEqual([id]);
    expect(await ids([{ Name: "image-id", Values: [UBUNTU_2404_AMI] }])).toEqual([id]);
    expect(await ids([{ Name: "instance-type", Values: ["c7g.large"] }])).toEqual([id]);
    expect(await ids([{ Name: "private-ip-address", Values: [i!.PrivateIpAddress!] }])).toEqual([id]);
    expect(
      await ids([
        { Name: "tag:role", Values: ["filter-me"] },
        { Name: "availability-zone", Values: ["us-east-1a"] },
        { Name: "vpc-id", Values: [i!.VpcId!] },
        { Name: "subnet-id", Values: [i!.SubnetId!] },
        { Name: "instance-state-name", Values: ["pending", "running"] },
      ]),
    ).toEqual([id]);
    expect(
      await ids([
        { Name: "tag:role", Values: ["filter-me"] },
        { Name: "availability-zone", Values: ["us-east-1c"] },
      ]),
    ).toEqual([]);
    expect(
      (
        await errorOf(
          aws.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "colour", Values: ["x"] }] })),
        )
      ).name,
    ).toBe("InvalidParameterValue");
  });

  it("pages 25 instances with MaxResults 10 into 3 pages", async () => {
    const tag = [{ Name: "tag:batch", Values: ["paging"] }];
    await run({
      MinCount: 25,
      MaxCount: 25,
      TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "batch", Value: "paging" }] }],
    });
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await aws.ec2.send(
        new DescribeInstancesCommand({ Filters: tag, MaxResults: 10, NextToken: token }),
      );
      seen.push(...(out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((x) => x.InstanceId!));
      token = out.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(25);
  });

  it("rejects MaxResults with InstanceIds, out-of-range MaxResults and foreign tokens", async () => {
    const [i] = await run();
    expect(
      (
        await errorOf(
          aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: [i!.InstanceId!], MaxResults: 5 })),
        )
      ).name,
    ).toBe("InvalidParameterCombination");
    expect((await errorOf(aws.ec2.send(new DescribeInstancesCommand({ MaxResults: 2 })))).name).toBe(
      "InvalidParameterValue",
    );
    expect((await errorOf(aws.ec2.send(new DescribeInstancesCommand({ NextToken: "bogus" })))).name).toBe(
      "InvalidParameterValue",
    );
  });

  it("reports unknown and malformed ids", async () => {
    expect(
      await errorOf(aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-00000000000000000"] }))),
    ).toEqual({
      name: "InvalidInstanceID.NotFound",
      message: "The instance ID 'i-00000000000000000' does not exist",
    });
    expect((await errorOf(aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-zz"] })))).name).toBe(
      "InvalidInstanceID.Malformed",
    );
  });

  it("hides new instances from describes for N calls when eventual consistency is injected", async () => {
    sim.setFault("ec2:RunInstances", { hideNewForDescribes: 2 });
    const [i] = await run();
    sim.setFault("ec2:RunInstances", undefined);
    const id = i!.InstanceId!;
    expect((await errorOf(describe1(id))).name).toBe("InvalidInstanceID.NotFound");
    expect((await errorOf(describe1(id))).name).toBe("InvalidInstanceID.NotFound");
    expect((await describe1(id)).InstanceId).toBe(id);
  });
});

describe("TerminateInstances", () => {
  it("reports previous and current state, detaches and deletes DeleteOnTermination volumes, forgets after an hour", async () => {
    const [i] = await run();
    const id = i!.InstanceId!;
    const rootVolume = i!.BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    await sim.advanceClock(50);
    const out = await aws.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(out.TerminatingInstances).toEqual([
      {
        InstanceId: id,
        PreviousState: { Code: 16, Name: "running" },
        CurrentState: { Code: 32, Name: "shutting-down" },
      },
    ]);
    expect((await describe1(id)).State?.Name).toBe("shutting-down");
    await sim.advanceClock(50);
    const gone = await describe1(id);
    expect(gone.State).toEqual({ Code: 48, Name: "terminated" });
    expect(gone.StateReason?.Code).toBe("Client.UserInitiatedShutdown");
    expect(gone.BlockDeviceMappings).toEqual([]);
    await sim.advanceClock(200);
    expect(region().volumes.has(rootVolume)).toBe(false);
    const again = await aws.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(again.TerminatingInstances?.[0]?.CurrentState?.Name).toBe("terminated");
    await sim.advanceClock(60 * 60 * 1000);
    expect((await errorOf(describe1(id))).name).toBe("InvalidInstanceID.NotFound");
  });

  it("keeps a root volume whose DeleteOnTermination was turned off", async () => {
    const [i] = await run();
    const id = i!.InstanceId!;
    const volumeId = i!.BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    await aws.ec2.send(
      new ModifyInstanceAttributeCommand({
        InstanceId: id,
        BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { DeleteOnTermination: false } }],
      }),
    );
    expect((await describe1(id)).BlockDeviceMappings?.[0]?.Ebs?.DeleteOnTermination).toBe(false);
    await aws.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await sim.advanceClock(500);
    const volume = region().volumes.get(volumeId);
    expect(volume).toMatchObject({ state: "available", attachments: [] });
  });

  it("refuses unknown ids", async () => {
    expect(
      (await errorOf(aws.ec2.send(new TerminateInstancesCommand({ InstanceIds: ["i-00000000000000000"] }))))
        .name,
    ).toBe("InvalidInstanceID.NotFound");
  });
});

describe("DescribeInstanceStatus", () => {
  it("lists running instances, and every instance with IncludeAllInstances", async () => {
    const [i] = await run();
    const id = i!.InstanceId!;
    const before = await aws.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }));
    expect(before.InstanceStatuses).toEqual([]);
    const all = await aws.ec2.send(
      new DescribeInstanceStatusCommand({ InstanceIds: [id], IncludeAllInstances: true }),
    );
    expect(all.InstanceStatuses?.[0]).toMatchObject({
      InstanceState: { Name: "pending" },
      InstanceStatus: { Status: "not-applicable" },
    });
    await sim.advanceClock(50);
    const after = await aws.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }));
    expect(after.InstanceStatuses?.[0]).toMatchObject({
      InstanceId: id,
      AvailabilityZone: "us-east-1a",
      InstanceState: { Code: 16, Name: "running" },
      InstanceStatus: { Status: "ok", Details: [{ Name: "reachability", Status: "passed" }] },
      SystemStatus: { Status: "ok" },
    });
  });
});

describe("Ec2Internal (Auto Scaling's launches)", () => {
  it("launches with the request's tags and terminates", async () => {
    const r = region();
    const instance = await sim.sim.internal.ec2!.launchInstance(r, {
      imageId: DEBIAN_12_AMI,
      instanceType: "t3.micro",
      subnetId: defaultSubnet(r, "us-east-1c").subnetId,
      securityGroupIds: [],
      tags: { "aws:autoscaling:groupName": "web-asg" },
    });
    const seen = await describe1(instance.instanceId);
    expect(seen.Tags).toEqual([{ Key: "aws:autoscaling:groupName", Value: "web-asg" }]);
    expect(seen.Placement?.AvailabilityZone).toBe("us-east-1c");
    await sim.sim.internal.ec2!.terminateInstances(r, [instance.instanceId, "i-00000000000000000"]);
    await sim.advanceClock(50);
    expect((await describe1(instance.instanceId)).State?.Name).toBe("terminated");
  });
});

describe("through the AWS CLI", () => {
  it("runs, describes with filters and terminates", async () => {
    const ran = (await awsCli(sim, [
      "ec2",
      "run-instances",
      "--image-id",
      DEBIAN_12_AMI,
      "--count",
      "2",
      "--instance-type",
      "t3.micro",
      "--tag-specifications",
      "ResourceType=instance,Tags=[{Key=app,Value=cli}]",
    ])) as { Instances: { InstanceId: string; State: { Name: string } }[] };
    expect(ran.Instances.map((i) => i.State.Name)).toEqual(["pending", "pending"]);
    await sim.advanceClock(50);
    const described = (await awsCli(sim, [
      "ec2",
      "describe-instances",
      "--filters",
      "Name=tag:app,Values=cli",
      "Name=instance-state-name,Values=running",
    ])) as { Reservations: { Instances: { InstanceId: string; PrivateIpAddress: string }[] }[] };
    const found = described.Reservations.flatMap((r) => r.Instances).map((i) => i.InstanceId);
    expect(found.sort()).toEqual(ran.Instances.map((i) => i.InstanceId).sort());
    const terminated = (await awsCli(sim, ["ec2", "terminate-instances", "--instance-ids", found[0]!])) as {
      TerminatingInstances: { PreviousState: { Name: string }; CurrentState: { Name: string } }[];
    };
    expect(terminated.TerminatingInstances[0]).toMatchObject({
      PreviousState: { Name: "running" },
      CurrentState: { Name: "shutting-down" },
    });
  });

  it("pages describe-instances with --max-items and reports errors", async () => {
    const paged = (await awsCli(sim, [
      "ec2",
      "describe-instances",
      "--filters",
      "Name=tag:batch,Values=paging",
      "--page-size",
      "10",
    ])) as {
      Reservations: { Instances: unknown[] }[];
    };
    expect(paged.Reservations.flatMap((r) => r.Instances)).toHaveLength(25);
    const stderr = await awsCliError(sim, [
      "ec2",
      "terminate-instances",
      "--instance-ids",
      "i-00000000000000000",
    ]);
    expect(stderr).toContain("InvalidInstanceID.NotFound");
  });
});
