// A light region for the agent's in-process tests: group `web`, whose members are each held by its
// launch hook until a test boots one (optionally with an instance profile whose role has a given
// policy), and a scratch folder; made and removed by the file's hooks.
import { CreateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { AwsClients } from "#shared/aws/clients.js";
import { startSim, type SimHandle, type StartSimOptions } from "../../sim/index.js";
import { createTemplate, defaultSubnets, describeGroup, waitFor } from "./autoscaling.js";
import { simClients } from "./sim.js";

export interface HookedGroup {
  sim: SimHandle;
  aws: AwsClients;
  /** A scratch folder, removed with the region. */
  dir: string;
  /** A new member of the group, held by the launch hook (each member is handed out once). */
  waitingInstance(): Promise<string>;
}

/**
 * A light region with group `web` of `size` instances, each held by launch hook `ready`, and a
 * scratch folder: made before the file's tests, gone after them. The returned object is filled in
 * once the group exists.
 */
export function useHookedGroup(o: {
  size: number;
  dirPrefix: string;
  delays?: StartSimOptions["delays"];
  /** Members launch with instance profile `name`, whose role of that name has this inline policy. */
  instanceRole?: { name: string; policy: object };
}): HookedGroup {
  const world = {} as HookedGroup;
  const used = new Set<string>();
  beforeAll(async () => {
    const sim = await startSim({
      hostKind: "light",
      delays: {
        instancePendingMs: 30,
        instanceShutdownMs: 30,
        asgReconcileMs: 40,
        snapshotMs: 30,
        ...o.delays,
      },
    });
    const aws = simClients(sim, { maxAttempts: 1 });
    Object.assign(world, { sim, aws });
    world.dir = await mkdtemp(join(tmpdir(), o.dirPrefix));
    if (o.instanceRole) await createInstanceRole(sim, o.instanceRole.name, o.instanceRole.policy);
    const lt = await createTemplate(aws, "web", { instanceProfile: o.instanceRole?.name });
    await aws.autoscaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: "web",
        MinSize: o.size,
        MaxSize: o.size,
        DesiredCapacity: o.size,
        LaunchTemplate: { LaunchTemplateId: lt, Version: "$Latest" },
        VPCZoneIdentifier: (await defaultSubnets(aws)).ids.join(","),
        LifecycleHookSpecificationList: [
          {
            LifecycleHookName: "ready",
            LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
            HeartbeatTimeout: 600,
          },
        ],
      }),
    );
  });
  afterAll(async () => {
    world.aws?.destroy();
    await world.sim?.stop();
    if (world.dir) await rm(world.dir, { recursive: true, force: true });
  });
  world.waitingInstance = async () => {
    const waiting = (i: { LifecycleState?: string; InstanceId?: string }) =>
      i.LifecycleState === "Pending:Wait" && !used.has(i.InstanceId!);
    const g = await waitFor(
      () => describeGroup(world.aws, "web"),
      (g) => (g?.Instances ?? []).some(waiting),
      "a new instance in Pending:Wait",
    );
    const id = g!.Instances!.find(waiting)!.InstanceId!;
    used.add(id);
    return id;
  };
  return world;
}

/** A role (EC2 may assume it) with one inline policy, in an instance profile of the same name. */
export async function createInstanceRole(sim: SimHandle, name: string, policy: object): Promise<void> {
  const iam = new IAMClient({ region: sim.region, endpoint: sim.endpoint, credentials: sim.credentials });
  try {
    await iam.send(
      new CreateRoleCommand({
        RoleName: name,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({ RoleName: name, PolicyName: name, PolicyDocument: JSON.stringify(policy) }),
    );
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: name }));
  } finally {
    iam.destroy();
  }
}
