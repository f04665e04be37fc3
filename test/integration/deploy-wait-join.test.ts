// docs/spec/deploy.md#inst-running-timeout: how long lb_wait_join waits for a newly created instance to be
// `running` in EC2 before it checks load balancer health; separate from join_timeout, and applied
// before it. Instances that stay pending (a slow region) time out on it.
import { CreateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { CreateLaunchTemplateCommand, DescribeSubnetsCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ActionOf } from "../../release-server/deploy/actions.js";
import { waitJoin } from "../../release-server/deploy/execute/wait-join.js";
import { startSim, type SimHandle } from "../../sim/index.js";
import { AL2023_AMI } from "../../sim/services/ec2/seed.js";
import type { AwsClients } from "#shared/aws/clients.js";
import { StepError } from "#shared/errors.js";
import { simClients } from "../support/sim.js";

let sim: SimHandle;
let aws: AwsClients;

beforeAll(async () => {
  // An hour from pending to running: longer than any wait here.
  sim = await startSim({ delays: { instancePendingMs: 3_600_000 } });
  aws = simClients(sim, { maxAttempts: 1 });
  const subnets = (await aws.ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
  await aws.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: "slow",
      LaunchTemplateData: { ImageId: AL2023_AMI, InstanceType: "t3.micro" },
    }),
  );
  await aws.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: "shop.slow_A",
      LaunchTemplate: { LaunchTemplateName: "slow", Version: "$Default" },
      MinSize: 1,
      MaxSize: 1,
      DesiredCapacity: 1,
      VPCZoneIdentifier: subnets.map((s) => s.SubnetId).join(","),
    }),
  );
});
afterAll(async () => {
  aws.destroy();
  await sim.stop();
});

const action: ActionOf<"waitJoin"> = {
  kind: "waitJoin",
  component: "slow",
  group: "shop.slow_A",
  count: 1,
  lbs: [],
  runningTimeoutSeconds: 1,
  joinTimeoutSeconds: 3600,
  reason: "test",
};

it("an instance still pending after inst_running_timeout fails the wait on it, before join_timeout is counted", async () => {
  const reports: string[] = [];
  const err = await waitJoin({ aws, pollMs: 100, report: (t) => reports.push(t) }, action).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StepError);
  expect((err as Error).message).toMatch(
    /shop\.slow_A: instances not running after inst_running_timeout 1 s: (0 of 1 launched|i-[0-9a-f]+: pending)/,
  );
  expect(reports.every((r) => r.startsWith("waiting for shop.slow_A to run"))).toBe(true);
});

it("the last report is the healthy count that ended the wait", async () => {
  const subnets = (await aws.ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
  await aws.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: "shop.pair_A",
      LaunchTemplate: { LaunchTemplateName: "slow", Version: "$Default" },
      MinSize: 2,
      MaxSize: 2,
      DesiredCapacity: 2,
      VPCZoneIdentifier: subnets.map((s) => s.SubnetId).join(","),
    }),
  );
  const reports: string[] = [];
  const waiting = waitJoin(
    { aws, pollMs: 100, report: (t) => reports.push(t) },
    { ...action, group: "shop.pair_A", count: 2, runningTimeoutSeconds: 7200 },
  );
  // Past the pending time, once the group has launched its two instances.
  while (!reports.some((r) => r.startsWith("waiting for shop.pair_A to run: i-")))
    await new Promise((r) => setImmediate(r));
  await sim.advanceClock(3_600_000);
  await waiting;
  expect(reports.at(-1)).toBe("2 of 2 instances of shop.pair_A healthy (2 needed)");
});
