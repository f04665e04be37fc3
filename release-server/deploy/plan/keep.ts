// rollout.keep_old_slot: after a switch the old slot can stay scaled but detached ("kept"), tagged
// with the time it may go, so `asg-release rollback` can re-attach it without launching anything.
// A kept slot whose time has passed is retired by the next deploy.
import type { Action } from "../actions.js";
import type { ObservedGroup } from "../observe/observed.js";
import { liveInstances, newestFirst, type PlanContext } from "./context.js";
import { detachActions, retireGroup } from "./retire.js";

/** The ISO time a kept group may go, when it is kept. */
export function keptUntil(ctx: PlanContext, group: ObservedGroup): string | undefined {
  return group.tags[ctx.keys.keptUntil];
}

/** Kept, and its time has not passed (without a `now`, no time has). */
export function isKept(ctx: PlanContext, group: ObservedGroup): boolean {
  const until = keptUntil(ctx, group);
  if (until === undefined) return false;
  const now = ctx.request.now;
  return now === undefined || !(Date.parse(until) <= now);
}

/** Of the groups a switch leaves behind, the one to keep: the newest that runs and is not kept yet. */
export function keepCandidate(ctx: PlanContext, groups: ObservedGroup[]): ObservedGroup | undefined {
  if (ctx.request.config.rollout.keep_old_slot === 0 || ctx.request.limitedPermissions) return undefined;
  return newestFirst(groups).find(
    (g) => g.managed && !g.deleting && liveInstances(g).length > 0 && keptUntil(ctx, g) === undefined,
  );
}

/** Detach (and drain) the group, then tag it kept; its capacity stays. */
export function keepSlot(ctx: PlanContext, group: ObservedGroup, reason: string): Action[] {
  const seconds = ctx.request.config.rollout.keep_old_slot;
  return [
    ...detachActions(ctx, group, reason),
    {
      kind: "keepGroup",
      component: group.component,
      group: group.name,
      seconds,
      reason: `rollout.keep_old_slot: kept scaled for ${seconds} s so asg-release rollback can re-attach it`,
    },
  ];
}

/** What a switch does with a group that no longer serves: keep it when it is `keep`, else retire it. */
export function leaveBehind(
  ctx: PlanContext,
  group: ObservedGroup,
  keep: ObservedGroup | undefined,
  reason: string,
): Action[] {
  if (group === keep) return keepSlot(ctx, group, reason);
  const until = keptUntil(ctx, group);
  return retireGroup(ctx, group, until !== undefined ? `kept until ${until}, which has passed` : reason);
}
