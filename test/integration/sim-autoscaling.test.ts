// Auto Scaling operations in the local region through the SDK: launch configurations, groups
// (validation, shape, filters, paging), tags, lifecycle hooks, processes, instances, activities.
import {
  AttachInstancesCommand,
  CompleteLifecycleActionCommand,
  CreateLaunchConfigurationCommand,
  CreateOrUpdateTagsCommand,
  DeleteAutoScalingGroupCommand,
  DeleteLaunchConfigurationCommand,
  DeleteLifecycleHookCommand,
  DeleteTagsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeLaunchConfigurationsCommand,
  DescribeLifecycleHooksCommand,
  DescribeScalingActivitiesCommand,
  DescribeScalingProcessTypesCommand,
  DescribeTagsCommand,
  DetachInstancesCommand,
  EnterStandbyCommand,
  ExitStandbyCommand,
  PutLifecycleHookCommand,
  ResumeProcessesCommand,
  SetDesiredCapacityCommand,
  SetInstanceProtectionCommand,
  SuspendProcessesCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  UpdateAutoScalingGroupCommand,
  type CreateAutoScalingGroupCommandInput,
  type DescribeAutoScalingGroupsCommandInput,
} from "@aws-sdk/client-auto-scaling";
import {
  CreateLaunchTemplateVersionCommand,
  DescribeInstancesCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { createGroupIn, useAsgWorld } from "../support/asg-world.js";
import { AMI, describeGroup, errorOf, waitFor, waitInService } from "../support/autoscaling.js";

const world = useAsgWorld("web");

const createGroup = (name: string, input: Partial<CreateAutoScalingGroupCommandInput> = {}) =>
  createGroupIn(world, name, { MaxSize: 4, DesiredCapacity: 0, ...input });

const validation = (message: string) => ({ name: "ValidationError", message, status: 400 });

/** Expects `call` to fail with a ValidationError (HTTP 400) saying `message`. */
async function expectValidation(call: Promise<unknown>, message: string): Promise<void> {
  expect(await errorOf(call)).toEqual(validation(message));
}

describe("launch configurations", () => {
  it("creates, describes with paging, and refuses duplicates and unknown images", async () => {
    for (const n of ["lc-a", "lc-b", "lc-c"])
      await world.aws.autoscaling.send(
        new CreateLaunchConfigurationCommand({
          LaunchConfigurationName: n,
          ImageId: AMI,
          InstanceType: "t3.small",
          SecurityGroups: ["default"],
          UserData: Buffer.from("#!/bin/sh\necho hi\n").toString("base64"),
          MetadataOptions: { HttpTokens: "required" },
        }),
      );
    const first = await world.aws.autoscaling.send(
      new DescribeLaunchConfigurationsCommand({ MaxRecords: 2 }),
    );
    expect(first.LaunchConfigurations?.map((l) => l.LaunchConfigurationName)).toEqual(["lc-a", "lc-b"]);
    expect(first.LaunchConfigurations?.[0]).toMatchObject({
      LaunchConfigurationARN: expect.stringMatching(
        /^arn:aws:autoscaling:us-east-1:123456789012:launchConfiguration:[0-9a-f-]{36}:launchConfigurationName\/lc-a$/,
      ),
      ImageId: AMI,
      InstanceType: "t3.small",
      SecurityGroups: ["default"],
      InstanceMonitoring: { Enabled: true },
      MetadataOptions: { HttpTokens: "required" },
      CreatedTime: expect.any(Date),
    });
    const second = await world.aws.autoscaling.send(
      new DescribeLaunchConfigurationsCommand({ MaxRecords: 2, NextToken: first.NextToken }),
    );
    expect(second.LaunchConfigurations?.map((l) => l.LaunchConfigurationName)).toEqual(["lc-c"]);
    expect(second.NextToken).toBeUndefined();

    expect(
      await errorOf(
        world.aws.autoscaling.send(
          new CreateLaunchConfigurationCommand({
            LaunchConfigurationName: "lc-a",
            ImageId: AMI,
            InstanceType: "t3.small",
          }),
        ),
      ),
    ).toEqual({
      name: "AlreadyExistsFault",
      message:
        "Launch Configuration by this name already exists - A launch configuration already exists with the name lc-a",
      status: 400,
    });
    expect(
      await errorOf(
        world.aws.autoscaling.send(
          new CreateLaunchConfigurationCommand({
            LaunchConfigurationName: "lc-x",
            ImageId: "ami-00000000000000000",
            InstanceType: "t3.small",
          }),
        ),
      ),
    ).toEqual(
      validation(
        "AMI ami-00000000000000000 is invalid: The image id '[ami-00000000000000000]' does not exist",
      ),
    );
  });

  it("refuses to delete a configuration a group uses, and unknown names", async () => {
    await createGroup("uses-lc", { LaunchTemplate: undefined, LaunchConfigurationName: "lc-b" });
    expect(
      await errorOf(
        world.aws.autoscaling.send(new DeleteLaunchConfigurationCommand({ LaunchConfigurationName: "lc-b" })),
      ),
    ).toEqual({
      name: "ResourceInUseFault",
      message: "Cannot delete launch configuration lc-b because it is attached to AutoScalingGroup uses-lc",
      status: 400,
    });
    await world.aws.autoscaling.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: "uses-lc" }));
    await world.aws.autoscaling.send(
      new DeleteLaunchConfigurationCommand({ LaunchConfigurationName: "lc-b" }),
    );
    await expectValidation(
      world.aws.autoscaling.send(new DeleteLaunchConfigurationCommand({ LaunchConfigurationName: "lc-b" })),
      "Launch configuration name not found - Launch configuration lc-b not found",
    );
  });
});

describe("CreateAutoScalingGroup", () => {
  it("stores the group in AWS's shape", async () => {
    await createGroup("shape", {
      MinSize: 0,
      MaxSize: 3,
      LaunchTemplate: { LaunchTemplateName: "web", Version: "$Latest" },
      HealthCheckType: "ELB",
      HealthCheckGracePeriod: 120,
      DefaultCooldown: 60,
      NewInstancesProtectedFromScaleIn: true,
      Tags: [
        { Key: "Name", Value: "web", PropagateAtLaunch: true },
        { Key: "team", Value: "core", PropagateAtLaunch: false },
      ],
      LifecycleHookSpecificationList: [
        {
          LifecycleHookName: "boot",
          LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
          HeartbeatTimeout: 600,
        },
      ],
    });
    const group = await describeGroup(world.aws, "shape");
    expect(group).toMatchObject({
      AutoScalingGroupName: "shape",
      AutoScalingGroupARN: expect.stringMatching(
        /^arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/shape$/,
      ),
      LaunchTemplate: { LaunchTemplateId: world.lt, LaunchTemplateName: "web", Version: "$Latest" },
      MinSize: 0,
      MaxSize: 3,
      DesiredCapacity: 0,
      DefaultCooldown: 60,
      AvailabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
      VPCZoneIdentifier: world.subnets,
      HealthCheckType: "ELB",
      HealthCheckGracePeriod: 120,
      Instances: [],
      SuspendedProcesses: [],
      LoadBalancerNames: [],
      TargetGroupARNs: [],
      TerminationPolicies: ["Default"],
      NewInstancesProtectedFromScaleIn: true,
      CreatedTime: expect.any(Date),
      Tags: [
        {
          ResourceId: "shape",
          ResourceType: "auto-scaling-group",
          Key: "Name",
          Value: "web",
          PropagateAtLaunch: true,
        },
        {
          ResourceId: "shape",
          ResourceType: "auto-scaling-group",
          Key: "team",
          Value: "core",
          PropagateAtLaunch: false,
        },
      ],
    });
    const hooks = await world.aws.autoscaling.send(
      new DescribeLifecycleHooksCommand({ AutoScalingGroupName: "shape" }),
    );
    expect(hooks.LifecycleHooks).toEqual([
      {
        LifecycleHookName: "boot",
        AutoScalingGroupName: "shape",
        LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
        HeartbeatTimeout: 600,
        GlobalTimeout: 60000,
        DefaultResult: "ABANDON",
      },
    ]);
  });

  it("accepts a mixed instances policy and zones without subnets", async () => {
    await createGroup("mixed", {
      LaunchTemplate: undefined,
      VPCZoneIdentifier: undefined,
      AvailabilityZones: ["us-east-1a", "us-east-1b"],
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: { LaunchTemplateId: world.lt, Version: "$Default" },
          Overrides: [{ InstanceType: "t3.large" }, { InstanceType: "m5.large" }],
        },
        InstancesDistribution: { OnDemandBaseCapacity: 1 },
      },
      DesiredCapacity: 1,
    });
    const group = await waitInService(world.aws, "mixed", 1);
    expect(group?.MixedInstancesPolicy).toMatchObject({
      LaunchTemplate: {
        LaunchTemplateSpecification: {
          LaunchTemplateId: world.lt,
          LaunchTemplateName: "web",
          Version: "$Default",
        },
        Overrides: [{ InstanceType: "t3.large" }, { InstanceType: "m5.large" }],
      },
      InstancesDistribution: { OnDemandBaseCapacity: 1 },
    });
    expect(group?.VPCZoneIdentifier).toBeUndefined();
    expect(group?.Instances?.[0]).toMatchObject({ InstanceType: "t3.large", AvailabilityZone: "us-east-1a" });
    await world.aws.autoscaling.send(
      new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: "mixed", ForceDelete: true }),
    );
  });

  it.each<[string, Partial<CreateAutoScalingGroupCommandInput>, string]>([
    [
      "min above max",
      { MinSize: 3, MaxSize: 2, DesiredCapacity: 2 },
      "Max bound, 2, must be greater than or equal to min bound, 3",
    ],
    [
      "desired above max",
      { MinSize: 1, MaxSize: 2, DesiredCapacity: 5 },
      "Desired capacity:5 must be between the specified min size:1 and max size:2",
    ],
    [
      "negative min",
      { MinSize: -1 },
      "1 validation error detected: Value '-1' at 'minSize' failed to satisfy constraint: Member must have value greater than or equal to 0",
    ],
    [
      "no launch source",
      { LaunchTemplate: undefined },
      "Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.",
    ],
    [
      "two launch sources",
      { LaunchConfigurationName: "lc-a" },
      "Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.",
    ],
    [
      "no zones",
      { VPCZoneIdentifier: undefined },
      "At least one Availability Zone or VPC Subnet is required.",
    ],
    [
      "unknown subnet",
      { VPCZoneIdentifier: "subnet-0123456789abcdef0" },
      "The subnet ID 'subnet-0123456789abcdef0' does not exist",
    ],
    [
      "unknown launch configuration",
      { LaunchTemplate: undefined, LaunchConfigurationName: "nope" },
      "Launch configuration name not found - Launch configuration nope not found",
    ],
    [
      "unknown launch template",
      { LaunchTemplate: { LaunchTemplateName: "nope" } },
      "You must use a valid fully-formed launch template. At least one of the launch templates specified in the request does not exist.",
    ],
    [
      "unknown template version",
      { LaunchTemplate: { LaunchTemplateName: "web", Version: "9" } },
      expect.stringMatching(
        /^You must use a valid fully-formed launch template. Could not find the specified version 9/,
      ) as unknown as string,
    ],
  ])("refuses %s", async (_what, input, message) => {
    await expectValidation(createGroup("bad", input), message);
  });

  it("refuses a name in use", async () => {
    expect(await errorOf(createGroup("shape"))).toEqual({
      name: "AlreadyExistsFault",
      message: "AutoScalingGroup by this name already exists - A group with the name shape already exists",
      status: 400,
    });
  });
});

describe("DescribeAutoScalingGroups", () => {
  it("pages 30 groups with MaxRecords and opaque tokens", async () => {
    for (let i = 0; i < 30; i++)
      await createGroup(`page-${String(i).padStart(2, "0")}`, { Tags: [{ Key: "set", Value: "paging" }] });
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await world.aws.autoscaling.send(
        new DescribeAutoScalingGroupsCommand({
          MaxRecords: 12,
          NextToken: token,
          Filters: [{ Name: "tag:set", Values: ["paging"] }],
        }),
      );
      names.push(...out.AutoScalingGroups!.map((g) => g.AutoScalingGroupName!));
      token = out.NextToken;
      pages += 1;
    } while (token);
    expect(pages).toBe(3);
    expect(names).toEqual(Array.from({ length: 30 }, (_, i) => `page-${String(i).padStart(2, "0")}`));
    expect(
      await errorOf(world.aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({ NextToken: "bogus" }))),
    ).toMatchObject({
      name: "InvalidNextToken",
    });
    expect(
      await errorOf(world.aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 101 }))),
    ).toEqual(
      validation(
        "1 validation error detected: Value '101' at 'maxRecords' failed to satisfy constraint: Member must have value less than or equal to 100",
      ),
    );
  });

  it("filters by tag:KEY, tag-key and tag-value, and by name", async () => {
    const names = async (input: DescribeAutoScalingGroupsCommandInput) =>
      (await world.aws.autoscaling.send(new DescribeAutoScalingGroupsCommand(input))).AutoScalingGroups!.map(
        (g) => g.AutoScalingGroupName,
      );
    expect(await names({ Filters: [{ Name: "tag:Name", Values: ["web", "api"] }] })).toEqual(["shape"]);
    expect(await names({ Filters: [{ Name: "tag-key", Values: ["team"] }] })).toEqual(["shape"]);
    expect(await names({ Filters: [{ Name: "tag-value", Values: ["core"] }] })).toEqual(["shape"]);
    expect(await names({ Filters: [{ Name: "tag-value", Values: ["cor*"] }] })).toEqual([]);
    expect(await names({ AutoScalingGroupNames: ["page-03", "shape", "missing"] })).toEqual([
      "page-03",
      "shape",
    ]);
    // An empty list goes on the wire as the bare key (`AutoScalingGroupNames=`): no restriction.
    expect(await names({ AutoScalingGroupNames: [], Filters: [] })).toContain("shape");
    const lean = await world.aws.autoscaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ["shape"], IncludeInstances: false }),
    );
    expect(lean.AutoScalingGroups?.[0]?.Instances).toBeUndefined();
    expect(
      await errorOf(
        world.aws.autoscaling.send(
          new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: "name", Values: ["x"] }] }),
        ),
      ),
    ).toMatchObject({
      name: "ValidationError",
    });
  });
});

describe("UpdateAutoScalingGroup and SetDesiredCapacity", () => {
  it("moves the desired capacity with a new minimum and checks the bounds", async () => {
    await createGroup("sizes", { MinSize: 0, MaxSize: 4, DesiredCapacity: 0 });
    await world.aws.autoscaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: "sizes",
        MinSize: 1,
        HealthCheckGracePeriod: 30,
      }),
    );
    expect(await describeGroup(world.aws, "sizes")).toMatchObject({
      MinSize: 1,
      DesiredCapacity: 1,
      HealthCheckGracePeriod: 30,
    });
    await world.aws.autoscaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "sizes", MaxSize: 3, DesiredCapacity: 2 }),
    );
    expect(await describeGroup(world.aws, "sizes")).toMatchObject({
      MinSize: 1,
      MaxSize: 3,
      DesiredCapacity: 2,
    });
    await expectValidation(
      world.aws.autoscaling.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "sizes", DesiredCapacity: 9 }),
      ),
      "Desired capacity:9 must be between the specified min size:1 and max size:3",
    );
    await expectValidation(
      world.aws.autoscaling.send(
        new SetDesiredCapacityCommand({ AutoScalingGroupName: "sizes", DesiredCapacity: 4 }),
      ),
      "New SetDesiredCapacity value 4 is above max value 3 for the AutoScalingGroup.",
    );
    await expectValidation(
      world.aws.autoscaling.send(
        new SetDesiredCapacityCommand({ AutoScalingGroupName: "sizes", DesiredCapacity: 0 }),
      ),
      "New SetDesiredCapacity value 0 is below min value 1 for the AutoScalingGroup.",
    );
    await expectValidation(
      world.aws.autoscaling.send(
        new SetDesiredCapacityCommand({ AutoScalingGroupName: "nope", DesiredCapacity: 0 }),
      ),
      "AutoScalingGroup name not found - AutoScalingGroup nope not found",
    );
    await world.aws.autoscaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "sizes", MinSize: 0, DesiredCapacity: 0 }),
    );
    await waitFor(
      () => describeGroup(world.aws, "sizes"),
      (g) => g?.Instances?.length === 0,
      "sizes to empty",
    );
  });

  it("switches the group to another template version", async () => {
    await world.aws.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: world.lt,
        SourceVersion: "1",
        LaunchTemplateData: { InstanceType: "t3.medium" },
      }),
    );
    await world.aws.autoscaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: "sizes",
        LaunchTemplate: { LaunchTemplateId: world.lt, Version: "2" },
      }),
    );
    expect((await describeGroup(world.aws, "sizes"))?.LaunchTemplate).toEqual({
      LaunchTemplateId: world.lt,
      LaunchTemplateName: "web",
      Version: "2",
    });
  });
});

describe("tags", () => {
  it("creates, updates, filters, pages and deletes group tags", async () => {
    await world.aws.autoscaling.send(
      new CreateOrUpdateTagsCommand({
        Tags: [
          {
            ResourceId: "sizes",
            ResourceType: "auto-scaling-group",
            Key: "env",
            Value: "prod",
            PropagateAtLaunch: true,
          },
          {
            ResourceId: "sizes",
            ResourceType: "auto-scaling-group",
            Key: "Name",
            Value: "sizes",
            PropagateAtLaunch: false,
          },
        ],
      }),
    );
    await world.aws.autoscaling.send(
      new CreateOrUpdateTagsCommand({
        Tags: [
          {
            ResourceId: "sizes",
            ResourceType: "auto-scaling-group",
            Key: "env",
            Value: "stage",
            PropagateAtLaunch: true,
          },
        ],
      }),
    );
    const byGroup = await world.aws.autoscaling.send(
      new DescribeTagsCommand({ Filters: [{ Name: "auto-scaling-group", Values: ["sizes"] }] }),
    );
    expect(byGroup.Tags).toEqual([
      {
        ResourceId: "sizes",
        ResourceType: "auto-scaling-group",
        Key: "Name",
        Value: "sizes",
        PropagateAtLaunch: false,
      },
      {
        ResourceId: "sizes",
        ResourceType: "auto-scaling-group",
        Key: "env",
        Value: "stage",
        PropagateAtLaunch: true,
      },
    ]);
    const propagating = await world.aws.autoscaling.send(
      new DescribeTagsCommand({
        Filters: [
          { Name: "key", Values: ["Name", "env"] },
          { Name: "propagate-at-launch", Values: ["true"] },
        ],
      }),
    );
    expect(propagating.Tags?.map((t) => `${t.ResourceId}:${t.Key}`)).toEqual(["shape:Name", "sizes:env"]);
    const paged = await world.aws.autoscaling.send(new DescribeTagsCommand({ MaxRecords: 5 }));
    expect(paged.Tags).toHaveLength(5);
    expect(paged.NextToken).toBeDefined();
    await world.aws.autoscaling.send(
      new DeleteTagsCommand({
        Tags: [{ ResourceId: "sizes", ResourceType: "auto-scaling-group", Key: "Name" }],
      }),
    );
    expect((await describeGroup(world.aws, "sizes"))?.Tags?.map((t) => t.Key)).toEqual(["env"]);
    expect(
      await errorOf(
        world.aws.autoscaling.send(
          new DescribeTagsCommand({ Filters: [{ Name: "tag-key", Values: ["x"] }] }),
        ),
      ),
    ).toEqual(
      validation(
        "Filter type tag-key is not correct. Allowed Filter types are: auto-scaling-group key value propagate-at-launch",
      ),
    );
    await expectValidation(
      world.aws.autoscaling.send(
        new CreateOrUpdateTagsCommand({
          Tags: [{ ResourceId: "nope", ResourceType: "auto-scaling-group", Key: "a", Value: "b" }],
        }),
      ),
      "AutoScalingGroup name not found - AutoScalingGroup nope not found",
    );
  });
});

describe("members", () => {
  it("launches with propagated tags, then terminates, detaches, protects and stands by members", async () => {
    await createGroup("members", {
      MinSize: 1,
      MaxSize: 5,
      DesiredCapacity: 3,
      Tags: [
        { Key: "Name", Value: "member", PropagateAtLaunch: true },
        { Key: "private", Value: "x", PropagateAtLaunch: false },
      ],
    });
    const group = await waitInService(world.aws, "members", 3);
    const [a, b, c] = group!.Instances!.map((i) => i.InstanceId!);
    const ec2 = await world.aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: [a!] }));
    const tags = Object.fromEntries(ec2.Reservations![0]!.Instances![0]!.Tags!.map((t) => [t.Key, t.Value]));
    expect(tags).toMatchObject({ Name: "member", "aws:autoscaling:groupName": "members" });
    expect(tags).not.toHaveProperty("private");

    const asInstances = await world.aws.autoscaling.send(
      new DescribeAutoScalingInstancesCommand({ InstanceIds: [a!] }),
    );
    expect(asInstances.AutoScalingInstances).toEqual([
      expect.objectContaining({
        InstanceId: a,
        AutoScalingGroupName: "members",
        LifecycleState: "InService",
        HealthStatus: "Healthy",
        ProtectedFromScaleIn: false,
        LaunchTemplate: { LaunchTemplateId: world.lt, LaunchTemplateName: "web", Version: "1" },
      }),
    ]);
    const page = await world.aws.autoscaling.send(new DescribeAutoScalingInstancesCommand({ MaxRecords: 2 }));
    expect(page.AutoScalingInstances).toHaveLength(2);
    expect(page.NextToken).toBeDefined();

    await world.aws.autoscaling.send(
      new SetInstanceProtectionCommand({
        AutoScalingGroupName: "members",
        InstanceIds: [c!],
        ProtectedFromScaleIn: true,
      }),
    );
    expect(
      (await describeGroup(world.aws, "members"))?.Instances?.find((i) => i.InstanceId === c)
        ?.ProtectedFromScaleIn,
    ).toBe(true);

    const term = await world.aws.autoscaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: a, ShouldDecrementDesiredCapacity: true }),
    );
    expect(term.Activity).toMatchObject({
      AutoScalingGroupName: "members",
      Description: `Terminating EC2 instance: ${a}`,
      Cause: expect.stringMatching(
        new RegExp(
          `instance ${a} was taken out of service in response to a user request, shrinking the capacity from 3 to 2\\.$`,
        ),
      ),
      StatusCode: "InProgress",
    });
    await waitFor(
      () => describeGroup(world.aws, "members"),
      (g) => g?.Instances?.length === 2,
      "a to leave",
    );

    const detached = await world.aws.autoscaling.send(
      new DetachInstancesCommand({
        AutoScalingGroupName: "members",
        InstanceIds: [b!],
        ShouldDecrementDesiredCapacity: true,
      }),
    );
    expect(detached.Activities?.[0]).toMatchObject({
      Description: `Detaching EC2 instance: ${b}`,
      StatusCode: "Successful",
    });
    const after = await describeGroup(world.aws, "members");
    expect(after).toMatchObject({ DesiredCapacity: 1 });
    expect(after?.Instances?.map((i) => i.InstanceId)).toEqual([c]);
    const plain = await world.aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: [b!] }));
    expect(plain.Reservations![0]!.Instances![0]!.State?.Name).toBe("running");

    expect(
      await errorOf(
        world.aws.autoscaling.send(
          new TerminateInstanceInAutoScalingGroupCommand({
            InstanceId: c,
            ShouldDecrementDesiredCapacity: true,
          }),
        ),
      ),
    ).toEqual(
      validation(
        "Currently, desiredSize equals minSize (1). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.",
      ),
    );
    await expectValidation(
      world.aws.autoscaling.send(
        new TerminateInstanceInAutoScalingGroupCommand({
          InstanceId: b,
          ShouldDecrementDesiredCapacity: false,
        }),
      ),
      `Instance Id not found - No managed instance found for instance ID: ${b}`,
    );

    // b joins again, then c stands by and returns.
    await world.aws.autoscaling.send(
      new AttachInstancesCommand({ AutoScalingGroupName: "members", InstanceIds: [b!] }),
    );
    await waitInService(world.aws, "members", 2);
    const standby = await world.aws.autoscaling.send(
      new EnterStandbyCommand({
        AutoScalingGroupName: "members",
        InstanceIds: [c!],
        ShouldDecrementDesiredCapacity: true,
      }),
    );
    expect(standby.Activities?.[0]?.Description).toBe(`Moving EC2 instance to Standby: ${c}`);
    expect(
      (await describeGroup(world.aws, "members"))?.Instances?.find((i) => i.InstanceId === c)?.LifecycleState,
    ).toBe("Standby");
    await world.aws.autoscaling.send(
      new ExitStandbyCommand({ AutoScalingGroupName: "members", InstanceIds: [c!] }),
    );
    const back = await waitInService(world.aws, "members", 2);
    expect(back?.DesiredCapacity).toBe(2);

    expect(
      await errorOf(
        world.aws.autoscaling.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: "members" })),
      ),
    ).toEqual({
      name: "ResourceInUseFault",
      message:
        "You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.",
      status: 400,
    });
  });

  it("attaches only running instances of the group's zones", async () => {
    const run = await world.aws.ec2.send(
      new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, InstanceType: "t3.micro" }),
    );
    const id = run.Instances![0]!.InstanceId!;
    await expectValidation(
      world.aws.autoscaling.send(
        new AttachInstancesCommand({ AutoScalingGroupName: "sizes", InstanceIds: [id] }),
      ),
      `Instance ${id} is not in the running state.`,
    );
  });
});

describe("lifecycle hooks", () => {
  it("puts, describes, updates and deletes hooks", async () => {
    await world.aws.autoscaling.send(
      new PutLifecycleHookCommand({
        AutoScalingGroupName: "sizes",
        LifecycleHookName: "drain",
        LifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
        DefaultResult: "CONTINUE",
        NotificationMetadata: "meta",
      }),
    );
    await world.aws.autoscaling.send(
      new PutLifecycleHookCommand({
        AutoScalingGroupName: "sizes",
        LifecycleHookName: "drain",
        HeartbeatTimeout: 120,
      }),
    );
    const out = await world.aws.autoscaling.send(
      new DescribeLifecycleHooksCommand({ AutoScalingGroupName: "sizes", LifecycleHookNames: ["drain"] }),
    );
    expect(out.LifecycleHooks).toEqual([
      {
        LifecycleHookName: "drain",
        AutoScalingGroupName: "sizes",
        LifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
        HeartbeatTimeout: 120,
        GlobalTimeout: 12000,
        DefaultResult: "CONTINUE",
        NotificationMetadata: "meta",
      },
    ]);
    await expectValidation(
      world.aws.autoscaling.send(
        new CompleteLifecycleActionCommand({
          AutoScalingGroupName: "sizes",
          LifecycleHookName: "drain",
          LifecycleActionResult: "CONTINUE",
          InstanceId: "i-0123456789abcdef0",
        }),
      ),
      "No active Lifecycle Action found with instance ID i-0123456789abcdef0",
    );
    await world.aws.autoscaling.send(
      new DeleteLifecycleHookCommand({ AutoScalingGroupName: "sizes", LifecycleHookName: "drain" }),
    );
    const none = await world.aws.autoscaling.send(
      new DescribeLifecycleHooksCommand({ AutoScalingGroupName: "sizes" }),
    );
    expect(none.LifecycleHooks).toEqual([]);
  });
});

describe("processes and activities", () => {
  it("suspends and resumes processes with reasons", async () => {
    await world.aws.autoscaling.send(
      new SuspendProcessesCommand({
        AutoScalingGroupName: "sizes",
        ScalingProcesses: ["Launch", "AZRebalance"],
      }),
    );
    expect((await describeGroup(world.aws, "sizes"))?.SuspendedProcesses).toEqual([
      {
        ProcessName: "Launch",
        SuspensionReason: expect.stringMatching(/^User suspended at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      },
      { ProcessName: "AZRebalance", SuspensionReason: expect.stringMatching(/^User suspended at /) },
    ]);
    await world.aws.autoscaling.send(new ResumeProcessesCommand({ AutoScalingGroupName: "sizes" }));
    expect((await describeGroup(world.aws, "sizes"))?.SuspendedProcesses).toEqual([]);
    expect(
      await errorOf(
        world.aws.autoscaling.send(
          new SuspendProcessesCommand({ AutoScalingGroupName: "sizes", ScalingProcesses: ["Launchh"] }),
        ),
      ),
    ).toMatchObject({ name: "ValidationError" });
    const types = await world.aws.autoscaling.send(new DescribeScalingProcessTypesCommand({}));
    expect(types.Processes?.map((p) => p.ProcessName)).toContain("ReplaceUnhealthy");
  });

  it("records launches and terminations with causes, newest first", async () => {
    const out = await world.aws.autoscaling.send(
      new DescribeScalingActivitiesCommand({ AutoScalingGroupName: "members", MaxRecords: 100 }),
    );
    const launches = out.Activities!.filter((a) =>
      a.Description?.startsWith("Launching a new EC2 instance: "),
    );
    expect(launches).toHaveLength(3);
    expect(launches[0]).toMatchObject({
      StatusCode: "Successful",
      Progress: 100,
      Cause: expect.stringMatching(
        /^At \S+Z a user request created an AutoScalingGroup changing the desired capacity from 0 to 3\. {2}At \S+Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 3\.$/,
      ),
      Details: expect.stringMatching(
        /^\{"Subnet ID":"subnet-[0-9a-f]+","Availability Zone":"us-east-1[abc]"\}$/,
      ),
      EndTime: expect.any(Date),
    });
    const times = out.Activities!.map((a) => a.StartTime!.getTime());
    expect([...times].sort((x, y) => y - x)).toEqual(times);
  });
});

describe("DeleteAutoScalingGroup", () => {
  it("deletes an empty group at once and refuses unknown names", async () => {
    await world.aws.autoscaling.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: "page-00" }));
    expect(await describeGroup(world.aws, "page-00")).toBeUndefined();
    await expectValidation(
      world.aws.autoscaling.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: "page-00" })),
      "AutoScalingGroup name not found - AutoScalingGroup page-00 not found",
    );
  });
});

describe("faults", () => {
  it("throttles with Auto Scaling's code", async () => {
    world.sim.setFault("autoscaling:DescribeAutoScalingGroups", { failNext: 1 });
    expect(await errorOf(world.aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({})))).toEqual({
      name: "Throttling",
      message: "Rate exceeded",
      status: 400,
    });
  });
});
