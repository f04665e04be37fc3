// Helpers for the Auto Scaling conformance tests: a sim with short delays, polling for group
// state, a launch template from EC2, and the error an SDK call fails with.
import {
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
  type Activity,
  type AutoScalingGroup,
} from "@aws-sdk/client-auto-scaling";
import { CreateLaunchTemplateCommand, DescribeSubnetsCommand } from "@aws-sdk/client-ec2";
import { setTimeout as sleep } from "node:timers/promises";
import type { AwsClients } from "#shared/aws/clients.js";
import { startSim, type SimHandle } from "../../sim/index.js";
import { DEBIAN_12_AMI } from "../../sim/services/ec2/seed.js";

export const AMI = DEBIAN_12_AMI;

/** Light instances and short delays so groups converge in a few hundred milliseconds. */
export function startAsgSim(): Promise<SimHandle> {
  return startSim({
    hostKind: "light",
    delays: { instancePendingMs: 30, instanceShutdownMs: 30, asgReconcileMs: 40 },
  });
}

/** Polls `probe` until `done` holds for its value (real time, the sim's clock ticks meanwhile). */
export async function waitFor<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
    await sleep(40);
    last = await probe();
  }
  return last;
}

export async function describeGroup(aws: AwsClients, name: string): Promise<AutoScalingGroup | undefined> {
  const out = await aws.autoscaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
  );
  return out.AutoScalingGroups?.[0];
}

export function inService(group: AutoScalingGroup | undefined): string[] {
  return (group?.Instances ?? []).filter((i) => i.LifecycleState === "InService").map((i) => i.InstanceId!);
}

/** Waits until the group has exactly `count` members, all InService. */
export function waitInService(
  aws: AwsClients,
  name: string,
  count: number,
): Promise<AutoScalingGroup | undefined> {
  return waitFor(
    () => describeGroup(aws, name),
    (g) => g?.Instances?.length === count && inService(g).length === count,
    `${name} to have ${count} InService members`,
  );
}

export async function activities(aws: AwsClients, name: string): Promise<Activity[]> {
  const out = await aws.autoscaling.send(
    new DescribeScalingActivitiesCommand({ AutoScalingGroupName: name }),
  );
  return out.Activities ?? [];
}

export async function createTemplate(
  aws: AwsClients,
  name: string,
  opts: { instanceProfile?: string } = {},
): Promise<string> {
  const out = await aws.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: name,
      LaunchTemplateData: {
        ImageId: AMI,
        InstanceType: "t3.micro",
        ...(opts.instanceProfile ? { IamInstanceProfile: { Name: opts.instanceProfile } } : {}),
      },
    }),
  );
  return out.LaunchTemplate!.LaunchTemplateId!;
}

export async function errorOf(
  p: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number }> {
  const err = (await p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e,
  )) as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
  return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
}

/** The default subnet of each zone, as EC2 describes them. */
export async function defaultSubnets(
  aws: AwsClients,
): Promise<{ ids: string[]; byZone: Record<string, string>; vpcId: string }> {
  const out = await aws.ec2.send(
    new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }),
  );
  const subnets = (out.Subnets ?? []).sort((a, b) => (a.AvailabilityZone! < b.AvailabilityZone! ? -1 : 1));
  return {
    ids: subnets.map((s) => s.SubnetId!),
    byZone: Object.fromEntries(subnets.map((s) => [s.AvailabilityZone!, s.SubnetId!])),
    vpcId: subnets[0]?.VpcId ?? "",
  };
}
