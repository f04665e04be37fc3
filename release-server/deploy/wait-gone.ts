// Waits until a deleted group is gone (its members terminate first), so its name can be used again.
import { AsgReleaseError, StepError } from "../../shared/errors.js";
import { poll } from "../../shared/poll.js";
import type { ActionOf } from "./actions.js";
import { groupMembers, type WaitDeps } from "./wait-join.js";

export async function waitGroupGone(deps: WaitDeps, a: ActionOf<"waitGroupGone">): Promise<void> {
  let last = "";
  try {
    await poll(
      async () => {
        const members = await groupMembers(deps.aws, a.group);
        if (members === undefined) return { state: "SUCCESS", value: undefined };
        last = `${members.length} member(s) left`;
        deps.report(`${a.group}: ${last}`);
        return { state: "RETRY", reason: last };
      },
      {
        what: `${a.group} deleted`,
        maxWaitMs: a.timeoutSeconds * 1000,
        minDelayMs: deps.pollMs,
        maxDelayMs: Math.max(deps.pollMs, 5000),
        ...(deps.clock ? { clock: deps.clock } : {}),
        ...(deps.signal ? { signal: deps.signal } : {}),
      },
    );
  } catch (err) {
    if (!(err instanceof AsgReleaseError && err.code === "WaitTimeout")) throw err;
    throw new StepError("delete", `${a.group} still exists after ${a.timeoutSeconds} s: ${last}`, {
      cause: err,
    });
  }
}
