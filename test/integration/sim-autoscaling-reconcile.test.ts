// Auto Scaling groups that really reconcile: balanced scale-out, scale-in by the default
// termination policy, replacement of instances EC2 terminated, lifecycle hooks with their
// timeouts, suspended processes and ForceDelete, all observed through the SDK.
import {
  CompleteLifecycleActionCommand,
  CreateLaunchConfigurationCommand,
  DeleteAutoScalingGroupCommand,
  DescribeAutoScalingInstancesCommand,
  PutLifecycleHookCommand,
  RecordLifecycleActionHeartbeatCommand,
  ResumeProcessesCommand,
  SetDesiredCapacityCommand,
  SetInstanceProtectionCommand,
  SuspendProcessesCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  UpdateAutoScalingGroupCommand,
  type AutoScalingGroup,
  type CreateAutoScalingGroupCommandInput,
} from "@aws-sdk/client-auto-scaling";
import {
  CreateLaunchTemplateVersionCommand,
  DescribeInstancesCommand,
  TerminateInstancesCommand,
  type Instance,
} from "@aws-sdk/client-ec2";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { targetLifecycleState } from "../../sim/services/autoscaling/target-lifecycle-state.js";
import { createGroupIn, useAsgWorld } from "../support/asg-world.js";
import {
  activities,
  AMI,
  describeGroup,
  errorOf,
  inService,
  waitFor,
  waitInService,
} from "../support/autoscaling.js";

const world = useAsgWorld("app");

const createGroup = (name: string, input: Partial<CreateAutoScalingGroupCommandInput> = {}) =>
  createGroupIn(world, name, {
    MaxSize: 10,
    LaunchTemplate: { LaunchTemplateId: world.lt, Version: "$Latest" },
    ...input,
  });

const setDesired = (name: string, n: number) =>
  world.aws.autoscaling.send(
    new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: n }),
  );

async function ec2Instances(ids: string[]): Promise<Instance[]> {
  const out = await world.aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

function zonesOf(group: AutoScalingGroup | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const i of group?.Instances ?? [])
    counts[i.AvailabilityZone!] = (counts[i.AvailabilityZone!] ?? 0) + 1;
  return counts;
}

function lifecycleOf(group: AutoScalingGroup | undefined): string[] {
  return (group?.Instances ?? []).map((i) => i.LifecycleState!);
}

/** The pending lifecycle action of a member, as a lifecycle notification carries it. */
async function tokenOf(groupName: string, instanceId: string): Promise<string> {
  const res = await fetch(`${world.sim.endpoint}/_sim/autoscaling/lifecycle-actions`);
  const actions = (await res.json()) as {
    AutoScalingGroupName: string;
    EC2InstanceId: string;
    LifecycleActionToken: string;
  }[];
  return actions.find((a) => a.AutoScalingGroupName === groupName && a.EC2InstanceId === instanceId)!
    .LifecycleActionToken;
}

describe("capacity", () => {
  it("scales out from a launch configuration balanced across three zones", async () => {
    await world.aws.autoscaling.send(
      new CreateLaunchConfigurationCommand({
        LaunchConfigurationName: "app-lc",
        ImageId: AMI,
        InstanceType: "t3.small",
      }),
    );
    await createGroup("balanced", {
      LaunchTemplate: undefined,
      LaunchConfigurationName: "app-lc",
      DesiredCapacity: 6,
      Tags: [{ Key: "Name", Value: "balanced", PropagateAtLaunch: true }],
    });
    const group = await waitInService(world.aws, "balanced", 6);
    expect(zonesOf(group)).toEqual({ "us-east-1a": 2, "us-east-1b": 2, "us-east-1c": 2 });
    const instances = await ec2Instances(inService(group));
    for (const i of instances) {
      expect(i.State?.Name).toBe("running");
      expect(i.SubnetId).toBe(world.net.byZone[i.Placement!.AvailabilityZone!]);
      expect(i.InstanceType).toBe("t3.small");
      expect(i.Tags).toEqual(
        expect.arrayContaining([
          { Key: "Name", Value: "balanced" },
          { Key: "aws:autoscaling:groupName", Value: "balanced" },
        ]),
      );
    }
    expect(group?.Instances?.[0]?.LaunchConfigurationName).toBe("app-lc");
  });

  it("scales in from the busiest zone, outdated template versions first, never protected members", async () => {
    await createGroup("policy", { DesiredCapacity: 3 });
    const first = await waitInService(world.aws, "policy", 3);
    const v1 = Object.fromEntries(first!.Instances!.map((i) => [i.AvailabilityZone!, i.InstanceId!]));

    await world.aws.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: world.lt,
        SourceVersion: "1",
        LaunchTemplateData: { InstanceType: "t3.micro" },
      }),
    );
    await setDesired("policy", 4);
    const four = await waitInService(world.aws, "policy", 4);
    const added = four!.Instances!.find((i) => !Object.values(v1).includes(i.InstanceId!))!;
    expect(added).toMatchObject({ AvailabilityZone: "us-east-1a", LaunchTemplate: { Version: "2" } });

    // Zone a has two members: its outdated (version 1) one goes, though it is not the newest.
    await setDesired("policy", 3);
    const three = await waitInService(world.aws, "policy", 3);
    expect(inService(three).sort()).toEqual([added.InstanceId, v1["us-east-1b"], v1["us-east-1c"]].sort());
    const terminated = (await activities(world.aws, "policy")).find((a) =>
      a.Description?.startsWith("Terminating"),
    );
    expect(terminated).toMatchObject({
      Description: `Terminating EC2 instance: ${v1["us-east-1a"]}`,
      Cause: expect.stringContaining(
        `a user request explicitly set group desired capacity changing the desired capacity from 4 to 3.  At `,
      ),
    });
    expect(terminated?.Cause).toContain(`instance ${v1["us-east-1a"]} was selected for termination.`);

    // With both members of zone a protected, the next busiest zone gives one up instead.
    await setDesired("policy", 4);
    const again = await waitInService(world.aws, "policy", 4);
    const inA = again!
      .Instances!.filter((i) => i.AvailabilityZone === "us-east-1a")
      .map((i) => i.InstanceId!);
    expect(inA).toHaveLength(2);
    await world.aws.autoscaling.send(
      new SetInstanceProtectionCommand({
        AutoScalingGroupName: "policy",
        InstanceIds: inA,
        ProtectedFromScaleIn: true,
      }),
    );
    await setDesired("policy", 3);
    const last = await waitInService(world.aws, "policy", 3);
    expect(inService(last)).toEqual(expect.arrayContaining(inA));
    expect(inService(last)).not.toContain(v1["us-east-1b"]);
  });

  it("replaces an instance terminated through EC2", async () => {
    await createGroup("replace", { DesiredCapacity: 2 });
    const before = inService(await waitInService(world.aws, "replace", 2));
    await world.aws.ec2.send(new TerminateInstancesCommand({ InstanceIds: [before[0]!] }));
    const after = await waitFor(
      () => describeGroup(world.aws, "replace"),
      (g) => inService(g).length === 2 && !inService(g).includes(before[0]!),
      "a replacement",
    );
    expect(inService(after)).toContain(before[1]);
    const log = await activities(world.aws, "replace");
    expect(log.find((a) => a.Description === `Terminating EC2 instance: ${before[0]}`)).toMatchObject({
      StatusCode: "Successful",
      Cause: expect.stringMatching(
        /an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped\.$/,
      ),
    });
    expect(log.filter((a) => a.Description?.startsWith("Launching a new EC2 instance: "))).toHaveLength(3);
    const all = (await (await fetch(`${world.sim.endpoint}/_sim/autoscaling/activities`)).json()) as {
      activityId: string;
    }[];
    expect(all.map((a) => a.activityId)).toEqual(expect.arrayContaining(log.map((a) => a.ActivityId)));
  });

  it("moves members out of zones the group no longer uses", async () => {
    await createGroup("moving", {
      DesiredCapacity: 2,
      VPCZoneIdentifier: [world.net.byZone["us-east-1a"], world.net.byZone["us-east-1b"]].join(","),
    });
    await waitInService(world.aws, "moving", 2);
    await world.aws.autoscaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: "moving",
        VPCZoneIdentifier: world.net.byZone["us-east-1c"],
      }),
    );
    const moved = await waitFor(
      () => describeGroup(world.aws, "moving"),
      (g) => inService(g).length === 2 && zonesOf(g)["us-east-1c"] === 2,
      "both members in us-east-1c",
    );
    expect(moved?.AvailabilityZones).toEqual(["us-east-1c"]);
  });

  it("launches nothing while Launch is suspended", async () => {
    await createGroup("suspended", { DesiredCapacity: 0 });
    await world.aws.autoscaling.send(
      new SuspendProcessesCommand({ AutoScalingGroupName: "suspended", ScalingProcesses: ["Launch"] }),
    );
    await setDesired("suspended", 2);
    for (let i = 0; i < 4; i++) {
      await world.sim.advanceClock(1000);
      await sleep(30);
    }
    expect((await describeGroup(world.aws, "suspended"))?.Instances).toEqual([]);
    expect(await activities(world.aws, "suspended")).toEqual([]);
    await world.aws.autoscaling.send(
      new ResumeProcessesCommand({ AutoScalingGroupName: "suspended", ScalingProcesses: ["Launch"] }),
    );
    await waitInService(world.aws, "suspended", 2);
  });
});

describe("lifecycle hooks", () => {
  it("holds a new instance in Pending:Wait until CompleteLifecycleAction, and a leaving one in Terminating:Wait", async () => {
    await createGroup("hooked", {
      DesiredCapacity: 1,
      LifecycleHookSpecificationList: [
        {
          LifecycleHookName: "ready",
          LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
          HeartbeatTimeout: 300,
        },
        {
          LifecycleHookName: "drain",
          LifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
          HeartbeatTimeout: 300,
        },
      ],
    });
    const waiting = await waitFor(
      () => describeGroup(world.aws, "hooked"),
      (g) => lifecycleOf(g)[0] === "Pending:Wait",
      "Pending:Wait",
    );
    const id = waiting!.Instances![0]!.InstanceId!;
    expect((await ec2Instances([id]))[0]?.State?.Name).toBe("running");
    expect(targetLifecycleState(world.sim.sim.state.region(world.sim.region)!, id)).toBe("InService");
    const launch = (await activities(world.aws, "hooked"))[0];
    expect(launch).toMatchObject({
      Description: `Launching a new EC2 instance: ${id}`,
      StatusCode: "MidLifecycleAction",
    });

    await world.aws.autoscaling.send(
      new CompleteLifecycleActionCommand({
        AutoScalingGroupName: "hooked",
        LifecycleHookName: "ready",
        InstanceId: id,
        LifecycleActionResult: "CONTINUE",
      }),
    );
    await waitInService(world.aws, "hooked", 1);

    await world.aws.autoscaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({
        InstanceId: id,
        ShouldDecrementDesiredCapacity: true,
      }),
    );
    const described = await world.aws.autoscaling.send(
      new DescribeAutoScalingInstancesCommand({ InstanceIds: [id] }),
    );
    expect(described.AutoScalingInstances?.[0]?.LifecycleState).toBe("Terminating:Wait");
    expect(
      await errorOf(
        world.aws.autoscaling.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: "hooked" })),
      ),
    ).toEqual({
      name: "ScalingActivityInProgressFault",
      message:
        "You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.",
      status: 400,
    });
    expect(targetLifecycleState(world.sim.sim.state.region(world.sim.region)!, id)).toBe("Terminated");
    const token = await tokenOf("hooked", id);
    await world.aws.autoscaling.send(
      new CompleteLifecycleActionCommand({
        AutoScalingGroupName: "hooked",
        LifecycleHookName: "drain",
        LifecycleActionToken: token,
        LifecycleActionResult: "CONTINUE",
      }),
    );
    await waitFor(
      () => describeGroup(world.aws, "hooked"),
      (g) => g?.Instances?.length === 0,
      "the member to leave",
    );
    expect((await ec2Instances([id]))[0]?.State?.Name).toBe("terminated");
    expect(
      await errorOf(
        world.aws.autoscaling.send(
          new CompleteLifecycleActionCommand({
            AutoScalingGroupName: "hooked",
            LifecycleHookName: "drain",
            LifecycleActionToken: token,
            LifecycleActionResult: "CONTINUE",
          }),
        ),
      ),
    ).toEqual({
      name: "ValidationError",
      message: `No active Lifecycle Action found with token ${token}`,
      status: 400,
    });
  });

  it("applies the default result when the heartbeat times out: ABANDON terminates and replaces", async () => {
    await createGroup("timeout", { DesiredCapacity: 1 });
    await world.aws.autoscaling.send(
      new PutLifecycleHookCommand({
        AutoScalingGroupName: "timeout",
        LifecycleHookName: "ready",
        LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
        HeartbeatTimeout: 60,
        DefaultResult: "ABANDON",
      }),
    );
    const first = await waitFor(
      () => describeGroup(world.aws, "timeout"),
      (g) => lifecycleOf(g)[0] === "Pending:Wait",
      "Pending:Wait",
    );
    const abandoned = first!.Instances![0]!.InstanceId!;
    await world.sim.advanceClock(61_000);
    const next = await waitFor(
      () => describeGroup(world.aws, "timeout"),
      (g) =>
        g?.Instances?.length === 1 &&
        g.Instances[0]!.InstanceId !== abandoned &&
        lifecycleOf(g)[0] === "Pending:Wait",
      "a replacement waiting on the hook",
    );
    expect(next?.Instances?.[0]?.InstanceId).not.toBe(abandoned);
    await waitFor(
      () => ec2Instances([abandoned]),
      (i) => i[0]?.State?.Name === "terminated",
      "the abandoned instance to terminate",
    );
    const launch = (await activities(world.aws, "timeout")).find(
      (a) => a.Description === `Launching a new EC2 instance: ${abandoned}`,
    );
    expect(launch).toMatchObject({
      StatusCode: "Cancelled",
      StatusMessage: expect.stringMatching(
        /^Instance failed to complete user's Lifecycle Action: Lifecycle Action with token [0-9a-f-]{36} was abandoned: Heartbeat Timeout$/,
      ),
    });
    await world.aws.autoscaling.send(
      new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: "timeout", ForceDelete: true }),
    );
    await waitFor(
      () => describeGroup(world.aws, "timeout"),
      (g) => g === undefined,
      "timeout group to go",
    );
  });

  it("RecordLifecycleActionHeartbeat extends the wait; CONTINUE by default then puts it in service", async () => {
    await createGroup("heartbeat", {
      DesiredCapacity: 1,
      LifecycleHookSpecificationList: [
        {
          LifecycleHookName: "ready",
          LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
          HeartbeatTimeout: 60,
          DefaultResult: "CONTINUE",
        },
      ],
    });
    const waiting = await waitFor(
      () => describeGroup(world.aws, "heartbeat"),
      (g) => lifecycleOf(g)[0] === "Pending:Wait",
      "Pending:Wait",
    );
    const id = waiting!.Instances![0]!.InstanceId!;
    await world.sim.advanceClock(40_000);
    await world.aws.autoscaling.send(
      new RecordLifecycleActionHeartbeatCommand({
        AutoScalingGroupName: "heartbeat",
        LifecycleHookName: "ready",
        InstanceId: id,
      }),
    );
    await world.sim.advanceClock(40_000);
    await sleep(60);
    expect(lifecycleOf(await describeGroup(world.aws, "heartbeat"))).toEqual(["Pending:Wait"]);
    await world.sim.advanceClock(30_000);
    const done = await waitInService(world.aws, "heartbeat", 1);
    expect(done?.Instances?.[0]?.InstanceId).toBe(id);
  });
});

describe("DeleteAutoScalingGroup", () => {
  it("ForceDelete terminates the members, then removes the group", async () => {
    await createGroup("doomed", { DesiredCapacity: 2 });
    const ids = inService(await waitInService(world.aws, "doomed", 2));
    expect(
      await errorOf(
        world.aws.autoscaling.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: "doomed" })),
      ),
    ).toMatchObject({
      name: "ResourceInUseFault",
    });
    await world.aws.autoscaling.send(
      new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: "doomed", ForceDelete: true }),
    );
    const deleting = await describeGroup(world.aws, "doomed");
    expect(deleting?.Status).toBe("Delete in progress");
    expect(
      await errorOf(
        world.aws.autoscaling.send(
          new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "doomed", MaxSize: 3 }),
        ),
      ),
    ).toMatchObject({ name: "ValidationError" });
    await waitFor(
      () => describeGroup(world.aws, "doomed"),
      (g) => g === undefined,
      "the group to go",
    );
    const instances = await ec2Instances(ids);
    expect(instances.map((i) => i.State?.Name)).toEqual(["terminated", "terminated"]);
  });
});
