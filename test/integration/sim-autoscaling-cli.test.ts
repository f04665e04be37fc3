// Auto Scaling through the AWS CLI, a second parser of the service's XML: groups, capacity,
// lifecycle actions, tags, activities, paging and error cases.
import { describe, expect, it } from "vitest";
import { useAsgWorld } from "../support/asg-world.js";
import { describeGroup, waitFor, waitInService } from "../support/autoscaling.js";
import { awsCli, awsCliError } from "../support/sim.js";

const world = useAsgWorld("cli");

interface CliGroup {
  AutoScalingGroupName: string;
  DesiredCapacity: number;
  LaunchTemplate: { LaunchTemplateId: string; Version: string };
  Instances: { InstanceId: string; LifecycleState: string; AvailabilityZone: string }[];
  Tags: { Key: string; Value: string; PropagateAtLaunch: boolean }[];
  CreatedTime: string;
}

const asg = (...args: string[]) => awsCli(world.sim, ["autoscaling", ...args]);

describe("aws autoscaling", () => {
  it("creates a group from a template and describes it", async () => {
    await asg(
      "create-auto-scaling-group",
      "--auto-scaling-group-name",
      "cli-web",
      "--launch-template",
      `LaunchTemplateId=${world.lt},Version=$Latest`,
      "--vpc-zone-identifier",
      world.subnets,
      "--min-size",
      "0",
      "--max-size",
      "3",
      "--desired-capacity",
      "2",
      "--tags",
      "Key=Name,Value=cli-web,PropagateAtLaunch=true",
    );
    await waitInService(world.aws, "cli-web", 2);
    const out = (await asg("describe-auto-scaling-groups", "--auto-scaling-group-names", "cli-web")) as {
      AutoScalingGroups: CliGroup[];
    };
    const group = out.AutoScalingGroups[0]!;
    expect(group).toMatchObject({
      AutoScalingGroupName: "cli-web",
      DesiredCapacity: 2,
      LaunchTemplate: { LaunchTemplateId: world.lt, Version: "$Latest" },
      Tags: [{ Key: "Name", Value: "cli-web", PropagateAtLaunch: true }],
    });
    expect(group.Instances.map((i) => i.LifecycleState)).toEqual(["InService", "InService"]);
    expect(new Set(group.Instances.map((i) => i.AvailabilityZone)).size).toBe(2);
    expect(Number.isNaN(Date.parse(group.CreatedTime))).toBe(false);
  });

  it("sets the desired capacity and reports the activities", async () => {
    await asg("set-desired-capacity", "--auto-scaling-group-name", "cli-web", "--desired-capacity", "1");
    await waitInService(world.aws, "cli-web", 1);
    const out = (await asg("describe-scaling-activities", "--auto-scaling-group-name", "cli-web")) as {
      Activities: { Description: string; StatusCode: string; Cause: string }[];
    };
    expect(out.Activities[0]).toMatchObject({
      Description: expect.stringMatching(/^Terminating EC2 instance: i-[0-9a-f]{17}$/),
      StatusCode: "Successful",
      Cause: expect.stringContaining("changing the desired capacity from 2 to 1."),
    });
    expect(out.Activities.filter((a) => a.Description.startsWith("Launching"))).toHaveLength(2);
  });

  it("completes a lifecycle action by instance id", async () => {
    await asg(
      "put-lifecycle-hook",
      "--auto-scaling-group-name",
      "cli-web",
      "--lifecycle-hook-name",
      "ready",
      "--lifecycle-transition",
      "autoscaling:EC2_INSTANCE_LAUNCHING",
      "--heartbeat-timeout",
      "300",
    );
    await asg("set-desired-capacity", "--auto-scaling-group-name", "cli-web", "--desired-capacity", "2");
    const waiting = await waitFor(
      () => describeGroup(world.aws, "cli-web"),
      (g) => g?.Instances?.some((i) => i.LifecycleState === "Pending:Wait") === true,
      "Pending:Wait",
    );
    const id = waiting!.Instances!.find((i) => i.LifecycleState === "Pending:Wait")!.InstanceId!;
    const described = (await asg("describe-auto-scaling-instances", "--instance-ids", id)) as {
      AutoScalingInstances: { LifecycleState: string; AutoScalingGroupName: string }[];
    };
    expect(described.AutoScalingInstances).toEqual([
      expect.objectContaining({ LifecycleState: "Pending:Wait", AutoScalingGroupName: "cli-web" }),
    ]);
    await asg(
      "complete-lifecycle-action",
      "--auto-scaling-group-name",
      "cli-web",
      "--lifecycle-hook-name",
      "ready",
      "--instance-id",
      id,
      "--lifecycle-action-result",
      "CONTINUE",
    );
    await waitInService(world.aws, "cli-web", 2);
    const again = await awsCliError(world.sim, [
      "autoscaling",
      "complete-lifecycle-action",
      "--auto-scaling-group-name",
      "cli-web",
      "--lifecycle-hook-name",
      "ready",
      "--instance-id",
      id,
      "--lifecycle-action-result",
      "CONTINUE",
    ]);
    expect(again).toContain(
      `An error occurred (ValidationError) when calling the CompleteLifecycleAction operation: No active Lifecycle Action found with instance ID ${id}`,
    );
  });

  it("filters tags and pages groups through the CLI's own paginator", async () => {
    for (const n of ["cli-a", "cli-b", "cli-c"])
      await asg(
        "create-auto-scaling-group",
        "--auto-scaling-group-name",
        n,
        "--launch-template",
        `LaunchTemplateName=cli`,
        "--availability-zones",
        "us-east-1a",
        "--min-size",
        "0",
        "--max-size",
        "1",
        "--tags",
        `Key=tier,Value=${n === "cli-b" ? "db" : "web"},PropagateAtLaunch=false`,
      );
    const tags = (await asg(
      "describe-tags",
      "--filters",
      "Name=key,Values=tier",
      "Name=value,Values=web",
    )) as {
      Tags: { ResourceId: string; PropagateAtLaunch: boolean }[];
    };
    expect(tags.Tags.map((t) => t.ResourceId)).toEqual(["cli-a", "cli-c"]);
    expect(tags.Tags[0]?.PropagateAtLaunch).toBe(false);
    const paged = (await asg("describe-auto-scaling-groups", "--page-size", "1")) as {
      AutoScalingGroups: CliGroup[];
    };
    expect(paged.AutoScalingGroups.map((g) => g.AutoScalingGroupName)).toEqual([
      "cli-a",
      "cli-b",
      "cli-c",
      "cli-web",
    ]);
    const filtered = (await asg("describe-auto-scaling-groups", "--filters", "Name=tag:tier,Values=db")) as {
      AutoScalingGroups: CliGroup[];
    };
    expect(filtered.AutoScalingGroups.map((g) => g.AutoScalingGroupName)).toEqual(["cli-b"]);
  });

  it("reports AWS's errors", async () => {
    expect(
      await awsCliError(world.sim, [
        "autoscaling",
        "set-desired-capacity",
        "--auto-scaling-group-name",
        "cli-web",
        "--desired-capacity",
        "9",
      ]),
    ).toContain(
      "An error occurred (ValidationError) when calling the SetDesiredCapacity operation: New SetDesiredCapacity value 9 is above max value 3 for the AutoScalingGroup.",
    );
    expect(
      await awsCliError(world.sim, [
        "autoscaling",
        "create-auto-scaling-group",
        "--auto-scaling-group-name",
        "cli-web",
        "--launch-template",
        `LaunchTemplateId=${world.lt}`,
        "--availability-zones",
        "us-east-1a",
        "--min-size",
        "0",
        "--max-size",
        "1",
      ]),
    ).toContain(
      "An error occurred (AlreadyExists) when calling the CreateAutoScalingGroup operation: AutoScalingGroup by this name already exists - A group with the name cli-web already exists",
    );
    expect(
      await awsCliError(world.sim, [
        "autoscaling",
        "update-auto-scaling-group",
        "--auto-scaling-group-name",
        "cli-web",
        "--min-size",
        "4",
      ]),
    ).toContain(
      "(ValidationError) when calling the UpdateAutoScalingGroup operation: Max bound, 3, must be greater than or equal to min bound, 4",
    );
    expect(
      await awsCliError(world.sim, [
        "autoscaling",
        "delete-auto-scaling-group",
        "--auto-scaling-group-name",
        "cli-web",
      ]),
    ).toContain(
      "An error occurred (ResourceInUse) when calling the DeleteAutoScalingGroup operation: You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.",
    );
  });

  it("force-deletes a group with its instances", async () => {
    const ids = (await describeGroup(world.aws, "cli-web"))!.Instances!.map((i) => i.InstanceId!);
    await asg("delete-auto-scaling-group", "--auto-scaling-group-name", "cli-web", "--force-delete");
    await waitFor(
      () => describeGroup(world.aws, "cli-web"),
      (g) => g === undefined,
      "cli-web to go",
    );
    const out = (await awsCli(world.sim, ["ec2", "describe-instances", "--instance-ids", ...ids])) as {
      Reservations: { Instances: { State: { Name: string } }[] }[];
    };
    expect(out.Reservations.flatMap((r) => r.Instances.map((i) => i.State.Name))).toEqual([
      "terminated",
      "terminated",
    ]);
  });
});
