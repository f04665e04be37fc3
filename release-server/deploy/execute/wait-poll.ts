// The deploy's waits share one shape: check until done, backing off from deps.pollMs to 5 s (on the
// deps' clock, stopped by their signal), and on timeout fail the step with what was still awaited.
import type { AwsClients } from "#shared/aws/clients.js";
import { AsgReleaseError, StepError, type ErrorContext } from "#shared/errors.js";
import { poll, type Clock } from "#shared/poll.js";

export interface WaitDeps {
  aws: AwsClients;
  clock?: Clock;
  /** First delay between checks; later ones back off to 5 s. */
  pollMs: number;
  signal?: AbortSignal;
  report: (text: string) => void;
}

export interface WaitStep {
  /** What is awaited, for the poller: "shop.web_A drained". */
  what: string;
  seconds: number;
  /** One check: undefined once done, else what is still awaited. */
  check: () => Promise<string | undefined>;
  /** The failed step on timeout, given what was still awaited at the last check. */
  timedOut: (last: string) => { step: string; message: string; context?: ErrorContext };
}

export async function waitStep(deps: WaitDeps, w: WaitStep): Promise<void> {
  let last = "";
  try {
    await poll(
      async () => {
        const left = await w.check();
        if (left === undefined) return { state: "SUCCESS", value: undefined };
        last = left;
        return { state: "RETRY", reason: left };
      },
      {
        what: w.what,
        maxWaitMs: w.seconds * 1000,
        minDelayMs: deps.pollMs,
        maxDelayMs: Math.max(deps.pollMs, 5000),
        ...(deps.clock ? { clock: deps.clock } : {}),
        ...(deps.signal ? { signal: deps.signal } : {}),
      },
    );
  } catch (err) {
    if (!(err instanceof AsgReleaseError && err.code === "WaitTimeout")) throw err;
    const failed = w.timedOut(last);
    throw new StepError(failed.step, failed.message, { cause: err, context: failed.context });
  }
}
