// Bounded retries of one registry request on the product's one poller (shared/retry.ts), giving
// back the registry's own error when the attempts run out, so callers see its status and code.
import { AsgReleaseError } from "../errors.js";
import type { Clock } from "../poll.js";
import { retry } from "../retry.js";
import { afterAttempts, RegistryError } from "./errors.js";

export interface RegistryRetryOptions {
  /** Attempts in all, the first included. Default 4. */
  maxAttempts?: number;
  /** Default 60 s. */
  maxWaitMs?: number;
  /** Backoff floor and ceiling; jittered between them (shared/poll.ts). Defaults 500 ms and 8 s. */
  minDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

export async function withRetries<T>(
  fn: () => Promise<T>,
  isRetryable: (err: unknown) => boolean,
  opts: RegistryRetryOptions & { what: string; clock: Clock; signal?: AbortSignal },
): Promise<T> {
  let attempts = 0;
  try {
    return await retry(
      () => {
        attempts++;
        return fn();
      },
      {
        what: opts.what,
        isRetryable,
        maxAttempts: opts.maxAttempts ?? 4,
        maxWaitMs: opts.maxWaitMs ?? 60_000,
        minDelayMs: opts.minDelayMs ?? 500,
        maxDelayMs: opts.maxDelayMs ?? 8000,
        clock: opts.clock,
        ...(opts.random ? { random: opts.random } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
    );
  } catch (err) {
    if (
      err instanceof AsgReleaseError &&
      err.code === "RetriesExhausted" &&
      err.cause instanceof RegistryError
    ) {
      throw afterAttempts(err.cause, attempts);
    }
    throw err;
  }
}
