// Taking components down: a destroy of the project, or components the model no longer has. Every
// group asg-release made is detached, drained, handed off or deleted, with its launch settings;
// in limited-permissions mode the pre-created groups are detached and scaled to zero.
import type { Action, Change } from "../actions.js";
import { liveInstances, type ComponentPlan, type PlanContext } from "./context.js";
import { finishDeletes } from "./full.js";
import { orphanLaunchSources, postActions, retireGroup } from "./retire.js";

export function planDestroyComponent(ctx: PlanContext, component: string, why: string): ComponentPlan {
  const groups = ctx.observed.groups.filter((g) => g.component === component);
  const actions: Action[] = [];
  const warnings: string[] = [];
  if (ctx.request.limitedPermissions) {
    for (const g of groups) {
      if (
        g.desiredCapacity > 0 ||
        liveInstances(g).length > 0 ||
        g.loadBalancerNames.length + g.targetGroupArns.length > 0
      ) {
        actions.push(...retireGroup(ctx, g, why));
      }
    }
  } else {
    for (const g of groups.filter((g) => !g.managed)) {
      warnings.push(`${g.name} has no ${ctx.keys.project}=${ctx.request.project} tag: not destroyed`);
    }
    const managed = groups.filter((g) => g.managed);
    actions.push(...finishDeletes(ctx, managed));
    for (const g of managed.filter((g) => !g.deleting)) actions.push(...retireGroup(ctx, g, why));
    actions.push(...orphanLaunchSources(ctx, component));
  }
  if (actions.length === 0) return { change: undefined, warnings };
  return { change: { component, kind: "destroy", reason: why, actions, onFailure: [] }, warnings };
}

/** Instances detached for delegated destroy whose POST a crash interrupted. */
export function planPendingHandoffs(ctx: PlanContext): Change[] {
  const byComponent = new Map<string, typeof ctx.observed.pendingHandoffs>();
  for (const h of ctx.observed.pendingHandoffs)
    byComponent.set(h.component, [...(byComponent.get(h.component) ?? []), h]);
  return [...byComponent].map(([component, list]) => ({
    component,
    kind: "resume" as const,
    reason: `${list.length} detached instance(s) not yet handed to the delegated-destroy handler`,
    actions: postActions(ctx, component, list),
    onFailure: [],
  }));
}
