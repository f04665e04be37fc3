// One poller for every wait (docs/design.md#one-poller), in the shape of smithy's util-waiter: an
// acceptor says SUCCESS, RETRY or FAILURE; waits back off exponentially with jitter up to a
// deadline; an AbortSignal stops them; a timeout says what was seen meanwhile.
import { setTimeout as sleep } from "node:timers/promises";
import { AsgReleaseError, type ErrorContext } from "./errors.js";

export type Observation<T> =
  { state: "SUCCESS"; value: T; reason?: string } | { state: "RETRY" | "FAILURE"; reason: string };

/** Time as the poller sees it; tests pass a fake one so no test waits for real. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : undefined),
};

export interface PollOptions {
  /** What is awaited, for messages: "volume vol-1 attached to i-1". */
  what: string;
  maxWaitMs: number;
  /** Stop after this many checks even before the deadline. */
  maxAttempts?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  clock?: Clock;
  /** [0, 1), for the jitter; Math.random by default. */
  random?: () => number;
  context?: ErrorContext;
}

/**
 * The delay before check `attempt + 1`: uniformly random between min and min * 2^(attempt-1),
 * capped at max ("full jitter" above a floor, as smithy's poller does), so many instances booting
 * together do not poll in step.
 */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(minMs + (ceiling - minMs) * random());
}

/** Runs `check` until it reports SUCCESS (resolves its value), FAILURE, the deadline, or abort. */
export async function poll<T>(
  check: (attempt: number) => Promise<Observation<T>>,
  opts: PollOptions,
): Promise<T> {
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? Math.random;
  const minDelay = opts.minDelayMs ?? 1000;
  const maxDelay = Math.max(minDelay, opts.maxDelayMs ?? 30_000);
  const started = clock.now();
  const deadline = started + opts.maxWaitMs;
  const seen = new Map<string, number>();
  let last = "";
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(opts);
    const obs = await check(attempt);
    if (obs.state === "SUCCESS") return obs.value;
    if (obs.state === "FAILURE") {
      throw new AsgReleaseError(`${opts.what}: ${obs.reason}`, { code: "WaitFailed", context: opts.context });
    }
    last = obs.reason;
    seen.set(obs.reason, (seen.get(obs.reason) ?? 0) + 1);
    const remaining = deadline - clock.now();
    if (remaining <= 0 || (opts.maxAttempts !== undefined && attempt >= opts.maxAttempts)) {
      throw new AsgReleaseError(
        `gave up waiting for ${opts.what} after ${attempt} checks in ${formatMs(clock.now() - started)}: ` +
          `${summarise(seen)}; last: ${last}`,
        { code: "WaitTimeout", context: opts.context },
      );
    }
    try {
      await clock.sleep(Math.min(backoffDelay(attempt, minDelay, maxDelay, random), remaining), opts.signal);
    } catch (err) {
      throwIfAborted(opts);
      throw err;
    }
  }
}

function throwIfAborted(opts: PollOptions): void {
  if (opts.signal?.aborted) {
    throw new AsgReleaseError(`stopped waiting for ${opts.what}: aborted`, {
      code: "Aborted",
      context: opts.context,
      cause: opts.signal.reason,
    });
  }
}

/** "3 x attaching, 1 x available", most frequent first. */
export function summarise(seen: ReadonlyMap<string, number>): string {
  return [...seen.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${n} x ${reason}`)
    .join(", ");
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
