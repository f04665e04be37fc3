// Auto Scaling with load balancers: members in service are registered with the group's classic
// load balancers and target groups, attachments register and detachments deregister, members
// leave the load balancers before they leave the group, and ELB health checks replace members.
import {
  AttachLoadBalancersCommand,
  AttachLoadBalancerTargetGroupsCommand,
  DescribeLoadBalancersCommand,
  DescribeLoadBalancerTargetGroupsCommand,
  DetachInstancesCommand,
  DetachLoadBalancerTargetGroupsCommand,
  DetachLoadBalancersCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  type CreateAutoScalingGroupCommandInput,
} from "@aws-sdk/client-auto-scaling";
import {
  CreateLoadBalancerCommand as CreateClassicCommand,
  DescribeInstanceHealthCommand,
} from "@aws-sdk/client-elastic-load-balancing";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTargetHealthCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { createGroupIn, useAsgWorld } from "../support/asg-world.js";
import {
  activities,
  describeGroup,
  errorOf,
  inService,
  waitFor,
  waitInService,
} from "../support/autoscaling.js";
import { tick } from "../support/lb.js";

const world = useAsgWorld("lb-app");

async function targetGroup(name: string): Promise<string> {
  const out = await world.aws.elbv2.send(
    new CreateTargetGroupCommand({
      Name: name,
      Protocol: "HTTP",
      Port: 80,
      VpcId: world.net.vpcId,
      HealthCheckIntervalSeconds: 10,
      UnhealthyThresholdCount: 2,
      HealthyThresholdCount: 2,
    }),
  );
  return out.TargetGroups![0]!.TargetGroupArn!;
}

async function classic(name: string): Promise<void> {
  await world.aws.elb.send(
    new CreateClassicCommand({
      LoadBalancerName: name,
      Listeners: [{ Protocol: "HTTP", LoadBalancerPort: 80, InstanceProtocol: "HTTP", InstancePort: 80 }],
      Subnets: world.net.ids,
    }),
  );
}

/** Targets of a target group that are registered and not on their way out. */
async function targets(arn: string): Promise<string[]> {
  const out = await world.aws.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
  return (out.TargetHealthDescriptions ?? [])
    .filter((t) => t.TargetHealth?.State !== "draining")
    .map((t) => t.Target!.Id!)
    .sort();
}

async function classicInstances(name: string): Promise<string[]> {
  const out = await world.aws.elb.send(new DescribeInstanceHealthCommand({ LoadBalancerName: name }));
  return (out.InstanceStates ?? []).map((s) => s.InstanceId!).sort();
}

const createGroup = (name: string, input: Partial<CreateAutoScalingGroupCommandInput>) =>
  createGroupIn(world, name, { MaxSize: 6, ...input });

describe("load balancer registration", () => {
  let tg: string;

  it("registers members that reach InService with the group's target groups and load balancers", async () => {
    tg = await targetGroup("web");
    await classic("web-classic");
    await createGroup("web", {
      DesiredCapacity: 3,
      TargetGroupARNs: [tg],
      LoadBalancerNames: ["web-classic"],
    });
    const ids = inService(await waitInService(world.aws, "web", 3)).sort();
    expect(await targets(tg)).toEqual(ids);
    expect(await classicInstances("web-classic")).toEqual(ids);

    const tgs = await world.aws.autoscaling.send(
      new DescribeLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: "web" }),
    );
    expect(tgs.LoadBalancerTargetGroups).toEqual([{ LoadBalancerTargetGroupARN: tg, State: "Added" }]);
    const lbs = await world.aws.autoscaling.send(
      new DescribeLoadBalancersCommand({ AutoScalingGroupName: "web" }),
    );
    expect(lbs.LoadBalancers).toEqual([{ LoadBalancerName: "web-classic", State: "Added" }]);
    expect((await describeGroup(world.aws, "web"))?.TrafficSources).toEqual([
      { Identifier: "web-classic", Type: "elb" },
      { Identifier: tg, Type: "elbv2" },
    ]);
  });

  it("takes detached and terminated members off the load balancers", async () => {
    const [a, b, c] = inService(await describeGroup(world.aws, "web")).sort();
    await world.aws.autoscaling.send(
      new DetachInstancesCommand({
        AutoScalingGroupName: "web",
        InstanceIds: [a!],
        ShouldDecrementDesiredCapacity: true,
      }),
    );
    expect(await targets(tg)).toEqual([b, c]);
    expect(await classicInstances("web-classic")).toEqual([b, c]);

    await world.aws.autoscaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: b, ShouldDecrementDesiredCapacity: true }),
    );
    expect(await targets(tg)).toEqual([c]);
    expect(await classicInstances("web-classic")).toEqual([c]);
    await waitInService(world.aws, "web", 1);
  });

  it("registers members when a target group or load balancer is attached, deregisters on detach", async () => {
    const ids = inService(await describeGroup(world.aws, "web"));
    const other = await targetGroup("other");
    await classic("other-classic");
    await world.aws.autoscaling.send(
      new AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: "web", TargetGroupARNs: [other] }),
    );
    await world.aws.autoscaling.send(
      new AttachLoadBalancersCommand({ AutoScalingGroupName: "web", LoadBalancerNames: ["other-classic"] }),
    );
    expect(await targets(other)).toEqual(ids);
    expect(await classicInstances("other-classic")).toEqual(ids);

    await world.aws.autoscaling.send(
      new DetachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: "web", TargetGroupARNs: [other] }),
    );
    await world.aws.autoscaling.send(
      new DetachLoadBalancersCommand({ AutoScalingGroupName: "web", LoadBalancerNames: ["other-classic"] }),
    );
    expect(await targets(other)).toEqual([]);
    expect(await classicInstances("other-classic")).toEqual([]);
    expect((await describeGroup(world.aws, "web"))?.TargetGroupARNs).toEqual([tg]);
  });

  it("refuses load balancers and target groups that do not exist", async () => {
    expect(
      await errorOf(
        world.aws.autoscaling.send(
          new AttachLoadBalancersCommand({ AutoScalingGroupName: "web", LoadBalancerNames: ["nope"] }),
        ),
      ),
    ).toEqual({
      name: "ValidationError",
      message: "Provided Load Balancers may not be valid. Please ensure they exist and try again.",
      status: 400,
    });
    const missing = tg.replace(/targetgroup\/web\//, "targetgroup/nope/");
    expect(await errorOf(createGroup("bad-tg", { TargetGroupARNs: [missing] }))).toEqual({
      name: "ValidationError",
      message: "Provided Target Groups may not be valid. Please ensure they exist and try again.",
      status: 400,
    });
  });
});

describe("ELB health checks", () => {
  it("replaces a member its target group reports unhealthy once the grace period is over", async () => {
    const tg = await targetGroup("checked");
    // Targets of a target group no load balancer forwards to are "unused", never checked.
    const alb = await world.aws.elbv2.send(
      new CreateLoadBalancerCommand({ Name: "checked", Subnets: world.net.ids }),
    );
    await world.aws.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: alb.LoadBalancers![0]!.LoadBalancerArn!,
        Port: 80,
        DefaultActions: [{ Type: "forward", TargetGroupArn: tg }],
      }),
    );
    await createGroup("checked", {
      DesiredCapacity: 2,
      TargetGroupARNs: [tg],
      HealthCheckType: "ELB",
      HealthCheckGracePeriod: 30,
    });
    const [sick, well] = inService(await waitInService(world.aws, "checked", 2));
    const res = await fetch(`${world.sim.endpoint}/_sim/health/override`, {
      method: "PUT",
      body: JSON.stringify({ instanceId: sick, healthy: false }),
    });
    expect(res.ok).toBe(true);
    for (let i = 0; i < 4; i++) await tick(world.sim, 10_000);
    const replaced = await waitFor(
      () => describeGroup(world.aws, "checked"),
      (g) => inService(g).length === 2 && !inService(g).includes(sick!),
      "the unhealthy member to be replaced",
    );
    expect(inService(replaced)).toContain(well);
    const log = await activities(world.aws, "checked");
    expect(log.find((a) => a.Description === `Terminating EC2 instance: ${sick}`)?.Cause).toMatch(
      /an instance was taken out of service in response to an ELB system health check failure\.$/,
    );
  });
});
