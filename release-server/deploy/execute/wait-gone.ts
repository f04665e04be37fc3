// Waits until a deleted group is gone (its members terminate first), so its name can be used again.
import type { ActionOf } from "../actions.js";
import { groupMembers } from "./wait-join.js";
import { waitStep, type WaitDeps } from "./wait-poll.js";

export function waitGroupGone(deps: WaitDeps, a: ActionOf<"waitGroupGone">): Promise<void> {
  return waitStep(deps, {
    what: `${a.group} deleted`,
    seconds: a.timeoutSeconds,
    check: async () => {
      const members = await groupMembers(deps.aws, a.group);
      if (members === undefined) return undefined;
      const left = `${members.length} member(s) left`;
      deps.report(`${a.group}: ${left}`);
      return left;
    },
    timedOut: (last) => ({
      step: "delete",
      message: `${a.group} still exists after ${a.timeoutSeconds} s: ${last}`,
    }),
  });
}
