import { describe, expect, it } from "vitest";
import { AsgReleaseError } from "#shared/errors.js";
import { backoffDelay, poll, summarise, type Observation } from "#shared/poll.js";
import { fakeClock } from "../../support/fake-clock.js";

const states = <T>(...obs: Observation<T>[]) => {
  let i = 0;
  return async () => obs[Math.min(i++, obs.length - 1)] as Observation<T>;
};

describe("backoffDelay", () => {
  it.each([
    [1, 0, 1000],
    [1, 0.99, 1000],
    [2, 1, 2000],
    [3, 0.5, 2500],
    [10, 1, 30_000],
    [80, 1, 30_000],
  ])("attempt %i with random %f waits %i ms", (attempt, r, want) => {
    expect(backoffDelay(attempt, 1000, 30_000, () => r)).toBe(want);
  });
});

describe("poll", () => {
  it("returns the value of the first SUCCESS, sleeping between RETRYs", async () => {
    const clock = fakeClock();
    const value = await poll(
      states<string>(
        { state: "RETRY", reason: "creating" },
        { state: "RETRY", reason: "creating" },
        { state: "SUCCESS", value: "available" },
      ),
      { what: "volume vol-1 available", maxWaitMs: 60_000, clock, random: () => 1 },
    );
    expect(value).toBe("available");
    expect(clock.sleeps).toEqual([1000, 2000]);
  });

  it("stops at FAILURE with the reason", async () => {
    const err = await poll(states({ state: "FAILURE", reason: "volume is in state error" }), {
      what: "volume vol-1 available",
      maxWaitMs: 60_000,
      clock: fakeClock(),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AsgReleaseError);
    expect((err as AsgReleaseError).code).toBe("WaitFailed");
    expect((err as Error).message).toBe("volume vol-1 available: volume is in state error");
  });

  it("times out at the deadline with a summary of what it saw", async () => {
    const clock = fakeClock();
    const err = (await poll(
      states<never>(
        { state: "RETRY", reason: "attaching" },
        { state: "RETRY", reason: "detached" },
        { state: "RETRY", reason: "attaching" },
      ),
      { what: "volume vol-1 attached", maxWaitMs: 5000, clock, random: () => 1 },
    ).catch((e: unknown) => e)) as AsgReleaseError;
    expect(err.code).toBe("WaitTimeout");
    // sleeps 1000, 2000, then only the 2000 left before the deadline, then one last check.
    expect(clock.sleeps).toEqual([1000, 2000, 2000]);
    expect(err.message).toBe(
      "gave up waiting for volume vol-1 attached after 4 checks in 5.0 s: 3 x attaching, 1 x detached; last: attaching",
    );
  });

  it("gives up after maxAttempts", async () => {
    const err = (await poll(states<never>({ state: "RETRY", reason: "no" }), {
      what: "x",
      maxWaitMs: 1e9,
      maxAttempts: 3,
      clock: fakeClock(),
    }).catch((e: unknown) => e)) as AsgReleaseError;
    expect(err.message).toMatch(/^gave up waiting for x after 3 checks/);
  });

  it("stops when aborted, before the next check", async () => {
    const ac = new AbortController();
    let checks = 0;
    const err = (await poll(
      async () => {
        checks++;
        ac.abort();
        return { state: "RETRY", reason: "not yet" };
      },
      { what: "readiness", maxWaitMs: 60_000, clock: fakeClock(), signal: ac.signal },
    ).catch((e: unknown) => e)) as AsgReleaseError;
    expect(checks).toBe(1);
    expect(err.code).toBe("Aborted");
    expect(err.message).toBe("stopped waiting for readiness: aborted");
  });

  it("lets an exception from the check through", async () => {
    await expect(
      poll(
        async () => {
          throw new Error("AccessDenied");
        },
        { what: "x", maxWaitMs: 1000, clock: fakeClock() },
      ),
    ).rejects.toThrow("AccessDenied");
  });
});

describe("summarise", () => {
  it("lists the most frequent observation first", () => {
    expect(
      summarise(
        new Map([
          ["a", 1],
          ["b", 3],
        ]),
      ),
    ).toBe("3 x b, 1 x a");
  });
});
