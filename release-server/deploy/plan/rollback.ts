// `asg-release rollback`: back to the slot a switch kept (rollout.keep_old_slot). Planned from
// what is observed, like a deploy: attach the kept slot where the serving one is attached, wait for
// it to be healthy, clear its kept tag, then retire the slot that served. Until the wait succeeds
// the serving slot stays attached, so a kept slot that does not become healthy is detached again.
import type { Action, Change, LbRef } from "../actions.js";
import type { ObservedGroup } from "../observe/observed.js";
import { attachedLbs, liveInstances, newestFirst, sameLb, type PlanContext } from "./context.js";
import { keptUntil } from "./keep.js";
import { retireGroup } from "./retire.js";

export function planRollback(ctx: PlanContext): Change[] {
  if (ctx.request.limitedPermissions) {
    ctx.problems.push(
      "rollback needs a kept slot (rollout.keep_old_slot), which limited-permissions mode does not keep",
    );
    return [];
  }
  const managed = ctx.observed.groups.filter((g) => g.managed && !g.deleting);
  const components = ctx.request.model
    ? Object.keys(ctx.request.model.components)
    : [...new Set(managed.map((g) => g.component))].sort();
  const changes: Change[] = [];
  for (const component of components) {
    const mine = managed.filter((g) => g.component === component);
    const kept = newestFirst(mine).find((g) => keptUntil(ctx, g) !== undefined);
    if (!kept) {
      // Without --model, only components that have a kept slot are rolled back.
      if (ctx.request.model) ctx.problems.push(`${component}: no kept slot to roll back to`);
      continue;
    }
    changes.push(
      rollBack(
        ctx,
        kept,
        mine.filter((g) => g !== kept),
      ),
    );
  }
  if (changes.length === 0 && ctx.problems.length === 0) {
    ctx.problems.push(
      `no kept slot to roll back to in project ${ctx.request.project}: set rollout.keep_old_slot to keep the old slot after an upgrade`,
    );
  }
  return changes;
}

function rollBack(ctx: PlanContext, kept: ObservedGroup, serving: ObservedGroup[]): Change {
  const component = kept.component;
  const lbs = serving
    .flatMap((g) => attachedLbs(ctx, g))
    .filter((lb, i, all) => all.findIndex((o) => sameLb(o, lb)) === i);
  const missing = lbs.filter((lb) => !attachedLbs(ctx, kept).some((o) => sameLb(o, lb)));
  const count = Math.max(kept.desiredCapacity, liveInstances(kept).length);
  const config = ctx.request.config;
  const names = serving.map((g) => g.name).join(", ");
  const actions: Action[] = [
    ...(missing.length > 0
      ? [
          {
            kind: "attachLbs" as const,
            component,
            group: kept.name,
            lbs: missing,
            reason: "serve from the kept slot again",
          },
        ]
      : []),
    {
      kind: "waitJoin",
      component,
      group: kept.name,
      count,
      lbs,
      runningTimeoutSeconds: config.inst_running_timeout,
      joinTimeoutSeconds: config.join_timeout,
      reason: `the kept slot must be healthy before ${names || "anything"} is retired`,
    },
    { kind: "unkeepGroup", component, group: kept.name, reason: "it serves again" },
    ...serving.flatMap((g) =>
      retireGroup(ctx, g, `rolled back to ${kept.name} (${kept.imageId ?? "untagged"})`),
    ),
  ];
  return {
    component,
    kind: "rollback",
    reason: `${names || "nothing"} -> kept slot ${kept.name} (${kept.imageId ?? "untagged"})`,
    actions,
    onFailure: detachAgain(component, kept, missing),
  };
}

function detachAgain(component: string, kept: ObservedGroup, lbs: LbRef[]): Action[] {
  return lbs.length > 0
    ? [
        {
          kind: "detachLbs",
          component,
          group: kept.name,
          lbs,
          reason: `${kept.name} did not become healthy: the current slot keeps serving`,
        },
      ]
    : [];
}
