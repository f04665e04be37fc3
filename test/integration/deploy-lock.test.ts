// The deploy lock under contention, in the local region: round after round, 8 deploys race for a
// lock left by a dead deploy on this host; the dead lock is deleted by its id, never by name, so at
// no point do two of them hold it.
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsClients } from "#shared/aws/clients.js";
import { AsgReleaseError } from "#shared/errors.js";
import { acquireLock, readLock, withLock, type LockHolder } from "../../release-server/deploy/lock.js";
import { startSim, type SimHandle } from "../../sim/index.js";
import { simClients } from "../support/sim.js";

const CONTENDERS = 8;
const ROUNDS = 30;

let sim: SimHandle;
let aws: AwsClients;

beforeAll(async () => {
  sim = await startSim({ hostKind: "light" });
  aws = simClients(sim);
});

afterAll(async () => {
  aws?.destroy();
  await sim?.stop();
});

/** A deploy of this host whose process is gone. */
const deadHolder = (round: number): LockHolder => ({
  host: hostname(),
  pid: spawnSync("true").pid,
  command: `killed deploy ${round}`,
  since: new Date(Date.UTC(2025, 0, 1, 0, 0, round)).toISOString(),
});

describe("the deploy lock", () => {
  it(`is never held twice: ${ROUNDS} rounds of ${CONTENDERS} deploys taking over a dead one's lock`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await acquireLock(aws, "shop", deadHolder(round), { waitSeconds: 0, breakCommand: "" });
      let holders = 0;
      let most = 0;
      const takeovers: string[] = [];
      const results = await Promise.all(
        Array.from({ length: CONTENDERS }, async (_, i) => {
          const me: LockHolder = {
            host: hostname(),
            pid: process.pid,
            command: `deploy ${i}`,
            since: new Date(Date.UTC(2025, 0, 2, 0, round, i)).toISOString(),
          };
          try {
            await withLock(
              aws,
              "shop",
              me,
              { waitSeconds: 0, breakCommand: "", onTakeover: (h) => takeovers.push(h.command) },
              async () => {
                most = Math.max(most, ++holders);
                // A few calls while holding it: time for every other contender to try.
                for (let k = 0; k < 3; k++) expect((await readLock(aws, "shop"))?.command).toBe(me.command);
                holders--;
              },
            );
            return "held";
          } catch (err) {
            if (err instanceof AsgReleaseError && err.code === "LockHeld") return "busy";
            throw err;
          }
        }),
      );
      expect(most, `round ${round}`).toBe(1);
      expect(results).toContain("held");
      // The dead deploy's lock was deleted by one contender only.
      expect(takeovers).toEqual([`killed deploy ${round}`]);
      expect(await readLock(aws, "shop")).toBeUndefined();
    }
  });
});
