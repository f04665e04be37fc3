// rollout.bake_time: after a batch is healthy, watch it for a while before going on. Fewer healthy
// members than the batch needs ends the bake with a failure, which rolls the new slot back
// (run-plan.ts); the old slot is still attached, so it goes on serving.
import { StepError } from "#shared/errors.js";
import { poll, systemClock } from "#shared/poll.js";
import type { ActionOf } from "../actions.js";
import { joinState } from "./wait-join.js";
import type { WaitDeps } from "./wait-poll.js";

export async function bake(deps: WaitDeps, a: ActionOf<"bake">): Promise<void> {
  const clock = deps.clock ?? systemClock;
  const end = clock.now() + a.seconds * 1000;
  await poll(
    async () => {
      const { members, problems } = await joinState(deps.aws, a.group, a.lbs);
      const joined = members.length - problems.length;
      if (joined < a.healthy || members.length < a.count) {
        const seen = [members.length < a.count ? `${members.length} of ${a.count} left` : "", ...problems];
        throw new StepError(
          "bake",
          `${a.group}: health failed during the bake: ${joined} of ${a.count} healthy, ${a.healthy} needed: ${seen.filter(Boolean).join("; ")}`,
          { context: { group: a.group } },
        );
      }
      if (clock.now() >= end) return { state: "SUCCESS", value: undefined };
      deps.report(
        `baking ${a.group}: ${joined} of ${a.count} healthy, ${Math.ceil((end - clock.now()) / 1000)} s left`,
      );
      return { state: "RETRY", reason: `${joined} of ${a.count} healthy` };
    },
    {
      what: `${a.group} baking`,
      // The deadline is the bake's end plus room for the last check; the check ends it on time.
      maxWaitMs: a.seconds * 1000 + 60_000,
      minDelayMs: deps.pollMs,
      maxDelayMs: deps.pollMs,
      clock,
      ...(deps.signal ? { signal: deps.signal } : {}),
    },
  );
}
