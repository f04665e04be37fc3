// Faults of the calls a deploy makes, in the local region with light instances: throttling and
// latency on every Auto Scaling, EC2 and ELB operation of an upgrade and of a destroy (the SDK's
// adaptive retry absorbs them: the same end state); a 500 on every attempt of a mutating call (the
// CLI exits 1 naming the operation, the lock is released, a re-run finishes the job); and new
// launch templates (the failed run's, the lock) that stay out of describes for a while: no
// duplicate, no failure, no lock left. (The local region hides only new launch templates, VPCs,
// subnets, security groups and snapshots from describes, not new Auto Scaling groups.)
import { DescribeInstancesCommand, DescribeLaunchTemplatesCommand } from "@aws-sdk/client-ec2";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createAwsClients } from "#shared/aws/clients.js";
import { readLock } from "../../release-server/deploy/lock.js";
import { asgRelease } from "../support/sim.js";
import {
  converged,
  envYaml,
  groups,
  modelYaml,
  run,
  useDeployWorld,
  type DeployWorld,
} from "../support/deploy.js";

const world = useDeployWorld((w) => ({
  "env.yaml": envYaml(w),
  "v1.yaml": modelYaml({
    front: { image: "reg/front:1", replicas: 2 },
    back: { image: "reg/back:1", replicas: 1 },
  }),
  "v2.yaml": modelYaml({
    front: { image: "reg/front:2", replicas: 2 },
    back: { image: "reg/back:2", replicas: 1 },
  }),
  "v3.yaml": modelYaml({
    front: { image: "reg/front:3", replicas: 2 },
    back: { image: "reg/back:3", replicas: 1 },
  }),
}));

const replicas = { front: 2, back: 1 };
const file = (name: string) => join(world.dir, name);
const cli = (args: string[]) => asgRelease(world.sim, args);
const deployCli = (model: string) =>
  cli(["deploy", "--env", file("env.yaml"), "--project", "shop", "--model", file(model), "--yes"]);

/** The clients the CLI makes (adaptive retry, 8 attempts), pointed at the sim. */
const production = (w: DeployWorld) => () =>
  createAwsClients({ region: w.sim.region, endpoint: w.sim.endpoint, credentials: w.sim.credentials });

type FaultSpec = Parameters<DeployWorld["sim"]["setFault"]>[1];
const faulted: string[] = [];
const fault = (op: string, spec: FaultSpec) => {
  world.sim.setFault(op, spec);
  faulted.push(op);
};
const clearFaults = () => {
  for (const op of faulted.splice(0)) world.sim.setFault(op, undefined);
};
afterEach(clearFaults);

/** Every Auto Scaling, EC2 and ELB operation a deploy, an upgrade or a destroy calls. */
const DEPLOY_OPS = [
  ...[
    "DescribeAutoScalingGroups",
    "DescribeLaunchConfigurations",
    "CreateAutoScalingGroup",
    "PutLifecycleHook",
    "AttachLoadBalancers",
    "AttachLoadBalancerTargetGroups",
    "DetachLoadBalancers",
    "DetachLoadBalancerTargetGroups",
    "DeleteAutoScalingGroup",
  ].map((op) => `autoscaling:${op}`),
  ...[
    "CreateLaunchTemplate",
    "DeleteLaunchTemplate",
    "DescribeInstances",
    "DescribeLaunchTemplates",
    "DescribeLaunchTemplateVersions",
    "DescribeSecurityGroups",
    "DescribeSubnets",
    "DescribeVpcs",
    "DescribeVolumes",
  ].map((op) => `ec2:${op}`),
  ...["DescribeInstanceHealth", "DescribeLoadBalancerAttributes", "DescribeLoadBalancers"].map(
    (op) => `elb:${op}`,
  ),
  ...[
    "DescribeLoadBalancers",
    "DescribeTargetGroupAttributes",
    "DescribeTargetGroups",
    "DescribeTargetHealth",
  ].map((op) => `elbv2:${op}`),
];

async function nothingLeft(): Promise<void> {
  expect(await groups(world.aws)).toEqual([]);
  const lts = await world.aws.ec2.send(new DescribeLaunchTemplatesCommand({}));
  expect(lts.LaunchTemplates ?? []).toEqual([]);
  const running = await world.aws.ec2.send(
    new DescribeInstancesCommand({
      Filters: [{ Name: "instance-state-name", Values: ["pending", "running"] }],
    }),
  );
  expect((running.Reservations ?? []).flatMap((r) => r.Instances ?? [])).toEqual([]);
}

/** Runs deploy or destroy in-process with the CLI's clients while every deploy call is throttled and slowed. */
async function throttled(opts: Parameters<typeof run>[1]): Promise<void> {
  world.sim.resetCallCounts();
  for (const op of DEPLOY_OPS) fault(op, { throttleRate: 0.1, latencyMs: 10 });
  const r = await run(world, opts, { clients: production(world) });
  clearFaults();
  expect(r.error?.message).toBeUndefined();
  expect(await readLock(world.aws, "shop")).toBeUndefined();
}

describe("throttling and latency on every call of a deploy", () => {
  it("deploys v1 (without faults)", async () => {
    const r = await run(world, { model: "v1.yaml" });
    expect(r.error?.message).toBeUndefined();
  });

  it("an upgrade completes, with the same end state", async () => {
    await throttled({ model: "v2.yaml" });
    await converged(world, { slot: "B", replicas });
  });
});

describe("a 500 on every attempt of a mutating call", () => {
  it("CreateAutoScalingGroup: the upgrade exits 1 naming it; a re-run that cannot see the launch template made yet creates no duplicate and finishes", async () => {
    fault("autoscaling:CreateAutoScalingGroup", { failNext: 8, failCode: "InternalFailure" });
    // Eventual consistency: the launch template the failed run made stays out of describes.
    fault("ec2:CreateLaunchTemplate", { hideNewForDescribes: 10 });
    const failed = await deployCli("v3.yaml");
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stderr).toMatch(/^error: front: create group shop\.front_A .*: CreateAutoScalingGroup: /m);
    const again = await deployCli("v3.yaml");
    expect(again.code, again.stderr).toBe(0);
    // It did not see the template (else it would have replaced it) and its create passed as done.
    expect(again.stdout).toMatch(/^ {4}\[1\/\d+\] create launch template shop\.front_A /m);
    clearFaults();
    await fetch(`${world.sim.endpoint}/_sim/faults`, { method: "DELETE" });
    await converged(world, { slot: "A", replicas });
  });

  it("DeleteAutoScalingGroup of the old slot: the upgrade exits 1 naming it, and a re-run finishes", async () => {
    fault("autoscaling:DeleteAutoScalingGroup", { failNext: 8, failCode: "InternalFailure" });
    const failed = await deployCli("v1.yaml");
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stderr).toMatch(/DeleteAutoScalingGroup: /);
    expect(await readLock(world.aws, "shop")).toBeUndefined();
    const again = await deployCli("v1.yaml");
    expect(again.code, again.stderr).toBe(0);
    await converged(world, { slot: "B", replicas });
  });
});

it("a failed deploy deletes the lock it took, though describes do not show it yet", async () => {
  fault("ec2:CreateLaunchTemplate", { hideNewForDescribes: 10 });
  fault("autoscaling:CreateAutoScalingGroup", { failNext: 1, failCode: "ValidationError" });
  const failed = await run(world, { model: "v2.yaml" }, { clients: production(world) });
  expect(failed.error?.message).toMatch(/CreateAutoScalingGroup: /);
  // Everything made visible: only then does a describe tell a deleted lock from a hidden one.
  await fetch(`${world.sim.endpoint}/_sim/faults`, { method: "DELETE" });
  expect(await readLock(world.aws, "shop")).toBeUndefined();
});

describe("throttling and latency on every call of a destroy", () => {
  it("a destroy completes, leaving nothing", async () => {
    await throttled({ operation: "destroy" });
    await nothingLeft();
  });
});
