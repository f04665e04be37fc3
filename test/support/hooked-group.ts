// A light region for the agent's in-process tests: group `web`, whose members are each held by its
// launch hook until a test boots one, and a scratch folder; made and removed by the file's hooks.
import { CreateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
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
    const lt = await createTemplate(aws, "web");
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
