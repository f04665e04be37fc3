// The actions of a rollout after the new slot's group is made with its first batch (rollout.ts):
// grow to each next batch, wait for its healthy share, bake; the old slot is still attached.
import type { Action, LbRef } from "../actions.js";
import type { DesiredComponent } from "../desired.js";
import type { PlanContext } from "./context.js";
import { capacityFor, waitJoinAction } from "./steady.js";
import type { RolloutStep } from "./batches.js";

/** After the first batch (made with the group): grow, wait for health, bake; batch by batch. */
export function planRollout(
  ctx: PlanContext,
  desired: DesiredComponent,
  name: string,
  lbs: LbRef[],
  steps: RolloutStep[],
): Action[] {
  const component = desired.name;
  const bake = ctx.request.config.rollout.bake_time;
  return steps.flatMap(({ count, healthy }, i): Action[] => {
    const batch = steps.length > 1 ? `rollout batch ${i + 1} of ${steps.length}` : "";
    const grow: Action[] =
      i === 0
        ? []
        : [
            {
              kind: "setCapacity",
              component,
              group: name,
              ...capacityFor(ctx, undefined, count),
              reason: batch,
            },
          ];
    if (count === 0) return grow;
    const wait = waitJoinAction(
      ctx,
      name,
      desired,
      lbs,
      count,
      batch
        ? `${batch}: ${healthy} of ${count} healthy before going on (rollout.min_healthy_percent)`
        : "only healthy instances count as deployed (lb_wait_join)",
      healthy,
    );
    const waits: Action[] = [wait];
    if (bake > 0)
      waits.push({
        kind: "bake",
        component,
        group: name,
        seconds: bake,
        count,
        healthy,
        lbs,
        reason: `rollout.bake_time: health is watched before ${i + 1 < steps.length ? "the next batch" : "the switch"}; a failure rolls back`,
      });
    return [...grow, ...waits];
  });
}
