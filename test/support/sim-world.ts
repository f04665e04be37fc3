// A test file's local region (default options), with clients that make one attempt and a scratch
// folder, made before the file's tests and gone after them.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { AwsClients } from "#shared/aws/clients.js";
import { startSim, type SimHandle } from "../../sim/index.js";
import { simClients } from "./sim.js";

export interface SimWorld {
  sim: SimHandle;
  aws: AwsClients;
  dir: string;
}

/** The returned object is filled in once the region and the folder (`dirPrefix` + random) exist. */
export function useSimWorld(dirPrefix: string): SimWorld {
  const world = {} as SimWorld;
  beforeAll(async () => {
    world.sim = await startSim();
    world.aws = simClients(world.sim, { maxAttempts: 1 });
    world.dir = await mkdtemp(join(tmpdir(), dirPrefix));
  });
  afterAll(async () => {
    world.aws.destroy();
    await world.sim.stop();
    await rm(world.dir, { recursive: true, force: true });
  });
  return world;
}
