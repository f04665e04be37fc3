// docs/spec/release.md#device-wait: the boot script checks for the device every five seconds and gives up
// after ten tries. The agent (docs/spec/release.md#diff-device-deadline) waits on a deadline instead of a
// count of sleeps, looks for the volume by its id rather than a guessed device name, and says which volume
// never appeared.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { AgentContext } from "../../../agent/context.js";
import { findDevice } from "../../../agent/steps/device.js";
import type { AgentConfig } from "#shared/config/agent.js";
import { AsgReleaseError, exitCodeOf } from "#shared/errors.js";
import { silentLogger } from "#shared/log.js";
import { run } from "#shared/proc/run.js";
import { fakeClock } from "../../support/fake-clock.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "device-wait-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('"exceeded attempts waiting for device $DEV": a volume whose device never appears fails the boot after the deadline, naming the volume', async () => {
  const clock = fakeClock();
  const ctx: AgentContext = {
    config: {} as AgentConfig,
    log: silentLogger,
    run,
    clock,
    // An empty by-id directory and /dev: the volume is attached but no device shows up.
    paths: { mountinfo: "/proc/self/mountinfo", byIdDir: dir, devDir: dir },
  };
  const err = await findDevice(ctx, "vol-0123456789abcdef0", "/dev/sdf", 50_000).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AsgReleaseError);
  expect(err).toMatchObject({ code: "WaitTimeout", context: { volumeId: "vol-0123456789abcdef0" } });
  expect((err as Error).message).toMatch(
    /^gave up waiting for the block device of vol-0123456789abcdef0 after \d+ checks in .*; last: no block device for vol-0123456789abcdef0 yet$/,
  );
  expect(exitCodeOf(err)).toBe(1);
  // The boot script's ten five-second sleeps are 50 s; the poller spends the same time, no more.
  expect(clock.now()).toBe(50_000);
  expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(5000);
});
