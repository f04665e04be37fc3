// The local region with full hosts that the e2e tests without an agent start: a registry on
// loopback for the hosts to pull from (the run's shared one, with the busybox httpd image:
// test-image.ts), a free port for their containers, and the sim in its own state folder, made
// before the file's tests and stopped, reclaimed and removed after them.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { AwsClients } from "#shared/aws/clients.js";
import { reclaimStateDir } from "../../../sim/hosts/reclaim.js";
import { startSim, type SimHandle } from "../../../sim/index.js";
import { freePort } from "../loopback.js";
import type { BusyboxImage } from "../busybox-image.js";
import type { Registry } from "../registry.js";
import { testImage } from "../test-image.js";
import { makeStateDir } from "../state-dir.js";
import { simClients } from "../sim.js";

export interface FullRegion {
  /** Shared with other test files: push under repositories of the file's own. */
  registry: Registry;
  /** The busybox httpd image, in `registry`. */
  image: BusyboxImage;
  /** A free port for the containers to serve on. */
  port: number;
  /** The state folder; the sim's own is `sim` inside it. */
  dir: string;
  sim: SimHandle;
  aws: AwsClients;
  /** Stops the sim now, for a test of what it leaves behind; after the tests only the rest is cleaned up. */
  stopSim(): Promise<void>;
}

/** The returned object is filled in once the sim has started. */
export function useFullRegion(prefix: string): FullRegion {
  const world = {} as FullRegion;
  let stopped = false;
  beforeAll(async () => {
    ({ registry: world.registry, image: world.image } = await testImage());
    world.port = await freePort();
    world.dir = await makeStateDir(prefix);
    world.sim = await startSim({
      stateDir: join(world.dir, "sim"),
      hostKind: "full",
      insecureRegistries: [world.registry.host],
      delays: {
        instancePendingMs: 50,
        instanceShutdownMs: 50,
        asgReconcileMs: 100,
        loadBalancerProvisionMs: 50,
      },
    });
    world.aws = simClients(world.sim);
  });
  world.stopSim = async () => {
    stopped = true;
    await world.sim.stop();
  };
  afterAll(async () => {
    world.aws?.destroy();
    if (!stopped) await world.sim?.stop();
    await world.registry?.stop();
    if (world.dir) {
      await reclaimStateDir(world.dir);
      await rm(world.dir, { recursive: true, force: true });
    }
  });
  return world;
}
