// One component in full mode: keep and scale the group that runs the model's image, or bring the
// image up in a free slot, switch the load balancers to it once healthy and retire the old slot.
import type { Action, Change } from "../actions.js";
import type { DesiredComponent } from "../desired.js";
import type { ObservedGroup } from "../observe/observed.js";
import {
  desiredLbs,
  groupImage,
  liveInstances,
  newestFirst,
  plural,
  type ComponentPlan,
  type PlanContext,
} from "./context.js";
import { planHook, hookSummary } from "./hook.js";
import { reuseCandidate } from "./launch.js";
import { isKept, keepCandidate, keptUntil, leaveBehind } from "./keep.js";
import { deleteLaunchSource, orphanLaunchSources, retireGroup, sweepAction } from "./retire.js";
import { planSlot, chooseSlot, teardownObserved } from "./slot.js";
import { planSteady } from "./steady.js";

export function planFullComponent(ctx: PlanContext, desired: DesiredComponent): ComponentPlan {
  const mine = ctx.observed.groups.filter((g) => g.component === desired.name);
  const warnings = mine
    .filter((g) => !g.managed)
    .map(
      (g) =>
        `${g.name} is named like a slot of ${desired.name} but has no ${ctx.keys.project}=${ctx.request.project} tag: left alone`,
    );
  const none: ComponentPlan = { change: undefined, warnings };
  const managed = mine.filter((g) => g.managed);
  const live = managed.filter((g) => !g.deleting);
  const prelude = finishDeletes(ctx, managed);
  const lbs = desiredLbs(ctx, desired);
  const same = newestFirst(live.filter((g) => groupImage(ctx, g) === desired.image));
  // docs/spec/deploy.md#launch-config-reuse: with no running instance of the image, new launch settings are
  // made. A group created by an interrupted run may not have launched its members yet: it is launching (it
  // wants members), so the run is resumed rather than the group replaced.
  const target =
    desired.replicas === 0
      ? same[0]
      : same.find((g) => liveInstances(g).length > 0 || (g.desiredCapacity > 0 && !isKept(ctx, g)));
  // A kept slot (rollout.keep_old_slot) stays until its time has passed, whatever the model says.
  const others = live.filter((g) => g !== target && !isKept(ctx, g));

  if (target && !(desired.forced && others.length === 0)) {
    // The hook goes first, so members a scale-out launches are held by it.
    const hook = planHook(ctx, target);
    const steady = planSteady(ctx, target, desired, lbs);
    const keep = keepCandidate(ctx, others);
    const retire = others.flatMap((g) => leaveBehind(ctx, g, keep, retireReason(ctx, g, target)));
    // A kept slot the model returns to serves again: it is no longer kept.
    const unkeep: Action[] =
      keptUntil(ctx, target) !== undefined
        ? [{ kind: "unkeepGroup", component: desired.name, group: target.name, reason: "it serves again" }]
        : [];
    // A run killed after deleting the old slot's group but before its launch settings left them.
    const orphans = orphanLaunchSources(ctx, desired.name);
    const actions = [...prelude, ...hook, ...steady.actions, ...unkeep, ...retire, ...orphans];
    if (actions.length === 0) return none;
    const serving = others.some((g) => liveInstances(g).length > 0);
    const kind =
      others.length > 0
        ? "resume"
        : steady.actions.some((a) => a.kind === "setCapacity")
          ? "scale"
          : hook.length > 0 && steady.actions.length === 0
            ? "configure"
            : steady.actions.length > 0 || unkeep.length > 0
              ? "attach"
              : "resume";
    const reason =
      others.length > 0
        ? `finish switching to ${target.name} (${desired.image}): ${others.map((g) => g.name).join(", ")} still up`
        : [...hookSummary(hook), ...steady.reasons].join("; ") || "finish an earlier run";
    const change: Change = {
      component: desired.name,
      kind,
      reason,
      actions,
      onFailure: serving ? teardownObserved(ctx, target) : [],
    };
    return { change, warnings };
  }

  const choice = chooseSlot(ctx, desired.name, mine, desired.forced ? undefined : target);
  if (!choice) return none;
  const reconfigure = desired.forced && ctx.request.reconfigure === true;
  const reuse = reconfigure ? undefined : reuseCandidate(ctx, desired, target ? [target] : live);
  const up = planSlot(ctx, desired, choice.slot, lbs, reuse, reconfigure);
  warnings.push(...up.warnings);
  if (desired.forced && target && !reconfigure) {
    warnings.push(
      `${desired.name}: replacing with the same image ${desired.image} reuses the launch settings of ${target.name}` +
        (up.reusedFrom ? "" : " where they can be read") +
        ": ec2-asg cannot re-install a component with a new configuration by upgrading it to the same image id, even with --replace-all or force-replace (docs/spec/deploy.md#same-image-reconfigure); add --reconfigure to apply the environment's launch settings",
    );
  }
  const evicted = choice.evict
    ? retireGroup(ctx, choice.evict, `frees slot ${choice.slot} for ${desired.image}`)
    : [];
  const behind = live.filter((g) => g !== choice.evict);
  const keep = keepCandidate(ctx, behind);
  const retire = behind.flatMap((g) =>
    leaveBehind(ctx, g, keep, `replaced by ${up.name} (${desired.image})`),
  );
  const current = keep ?? live.find((g) => liveInstances(g).length > 0);
  const from = current ? groupImage(ctx, current) : undefined;
  const kind = desired.forced && target ? "replace" : live.length > 0 ? "upgrade" : "deploy";
  const reason =
    kind === "replace"
      ? `${ctx.request.replaceAll ? "--replace-all" : "force-replace"}: new instances of ${desired.image} in slot ${choice.slot}`
      : kind === "upgrade"
        ? `image ${from ?? "(none running)"} -> ${desired.image}: slot ${choice.slot}, ${plural(desired.replicas, "replica")}`
        : `new component: ${desired.image}, ${plural(desired.replicas, "replica")} in slot ${choice.slot}`;
  const change: Change = {
    component: desired.name,
    kind,
    reason,
    actions: [
      ...prelude,
      ...evicted,
      ...up.actions,
      ...retire,
      ...orphanLaunchSources(ctx, desired.name, [up.name]),
    ],
    onFailure: up.onFailure,
  };
  return { change, warnings };
}

function retireReason(ctx: PlanContext, group: ObservedGroup, target: ObservedGroup): string {
  return groupImage(ctx, group) === groupImage(ctx, target)
    ? `superseded by ${target.name}`
    : `runs ${groupImage(ctx, group) ?? "an untagged image"}, replaced by ${target.name}`;
}

/** Groups an earlier run started deleting: wait for them, then delete what was made for them. */
export function finishDeletes(ctx: PlanContext, groups: ObservedGroup[]): Action[] {
  return groups
    .filter((g) => g.deleting)
    .flatMap((g): Action[] => [
      {
        kind: "waitGroupGone",
        component: g.component,
        group: g.name,
        timeoutSeconds: 600,
        reason: "being deleted by an earlier run",
      },
      sweepAction(g.component, g.name),
      ...deleteLaunchSource(ctx, g),
    ]);
}
