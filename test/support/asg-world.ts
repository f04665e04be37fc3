// The region of an Auto Scaling conformance test file, started and stopped by the file's hooks, and
// groups made from its launch template.
import {
  CreateAutoScalingGroupCommand,
  type CreateAutoScalingGroupCommandInput,
} from "@aws-sdk/client-auto-scaling";
import { afterAll, beforeAll } from "vitest";
import type { AwsClients } from "#shared/aws/clients.js";
import type { SimHandle } from "../../sim/index.js";
import { createTemplate, defaultSubnets, startAsgSim } from "./autoscaling.js";
import { simClients } from "./sim.js";

export interface AsgWorld {
  sim: SimHandle;
  /** Clients that make one attempt, so a refusal reaches the test as it was sent. */
  aws: AwsClients;
  /** The launch template's id. */
  lt: string;
  net: Awaited<ReturnType<typeof defaultSubnets>>;
  /** The default subnets, comma-separated as VPCZoneIdentifier takes them. */
  subnets: string;
}

/**
 * The region of a test file: an Auto Scaling sim with launch template `template`, started before
 * its tests and stopped after them. The returned object is filled in when the region has started.
 */
export function useAsgWorld(template: string): AsgWorld {
  const world = {} as AsgWorld;
  beforeAll(async () => {
    const sim = await startAsgSim();
    const aws = simClients(sim, { maxAttempts: 1 });
    const lt = await createTemplate(aws, template);
    const net = await defaultSubnets(aws);
    Object.assign(world, { sim, aws, lt, net, subnets: net.ids.join(",") });
  });
  afterAll(async () => {
    world.aws.destroy();
    await world.sim.stop();
  });
  return world;
}

/** Creates a group from the world's launch template in its default subnets, with MinSize 0. */
export function createGroupIn(
  world: AsgWorld,
  name: string,
  input: Partial<CreateAutoScalingGroupCommandInput> & { MaxSize: number },
) {
  return world.aws.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      MinSize: 0,
      LaunchTemplate: { LaunchTemplateId: world.lt },
      VPCZoneIdentifier: world.subnets,
      ...input,
    }),
  );
}
