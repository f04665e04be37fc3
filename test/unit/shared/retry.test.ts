import { describe, expect, it } from "vitest";
import type { AsgReleaseError } from "#shared/errors.js";
import { retry } from "#shared/retry.js";
import { fakeClock } from "../../support/fake-clock.js";

describe("retry", () => {
  it("retries until the operation succeeds", async () => {
    const clock = fakeClock();
    let calls = 0;
    const value = await retry(
      async () => {
        if (++calls < 3) throw new Error("ECONNREFUSED");
        return "ok";
      },
      { what: "fetch pointer", maxWaitMs: 60_000, clock, random: () => 0 },
    );
    expect(value).toBe("ok");
    expect(clock.sleeps).toEqual([1000, 1000]);
  });

  it("throws a non-retryable error at once", async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new Error("bad id");
        },
        { what: "x", maxWaitMs: 60_000, clock: fakeClock(), isRetryable: () => false },
      ),
    ).rejects.toThrow("bad id");
    expect(calls).toBe(1);
  });

  it("keeps the last error as the cause when it gives up", async () => {
    const err = (await retry(
      async (attempt) => {
        throw new Error(`refused ${attempt}`);
      },
      { what: "fetch pointer", maxWaitMs: 60_000, maxAttempts: 2, clock: fakeClock() },
    ).catch((e: unknown) => e)) as AsgReleaseError;
    expect(err.code).toBe("RetriesExhausted");
    expect(err.message).toMatch(/^gave up waiting for fetch pointer after 2 checks .*; last: refused 2$/);
    expect((err.cause as Error).message).toBe("refused 2");
  });
});
