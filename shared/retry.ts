// Retrying an operation that can fail transiently (an HTTP fetch, a CLI call), on the one poller:
// the same jittered backoff and deadline, and the last error kept as the cause when it gives up.
import { AsgReleaseError, messageOf } from "./errors.js";
import { poll, type PollOptions } from "./poll.js";

export interface RetryOptions extends PollOptions {
  /** Which errors are worth another attempt; all by default. Others are thrown at once. */
  isRetryable?: (err: unknown) => boolean;
}

export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const isRetryable = opts.isRetryable ?? (() => true);
  let lastError: unknown;
  try {
    return await poll<T>(async (attempt) => {
      try {
        return { state: "SUCCESS", value: await fn(attempt) };
      } catch (err) {
        if (!isRetryable(err)) throw err;
        lastError = err;
        return { state: "RETRY", reason: messageOf(err) };
      }
    }, opts);
  } catch (err) {
    if (err instanceof AsgReleaseError && err.code === "WaitTimeout" && lastError !== undefined) {
      throw new AsgReleaseError(err.message, {
        code: "RetriesExhausted",
        context: err.context,
        cause: lastError,
      });
    }
    throw err;
  }
}
