// Bringing up a component in a free slot (docs/spec/deploy.md#slots: one group and launch settings per
// component and slot): launch settings, the group
// with its tags and launch lifecycle hook, load balancers, the health wait, and its teardown.
import { slots } from "#shared/naming/names.js";
import { componentSettings } from "#shared/config/component-settings.js";
import type { Action, LbRef } from "../actions.js";
import type { DesiredComponent } from "../desired.js";
import { resolveSubnets } from "./network.js";
import type { ObservedGroup } from "../observe/observed.js";
import { groupName, liveInstances, type PlanContext } from "./context.js";
import { keptUntil } from "./keep.js";
import { desiredHook, hookRecord } from "./hook.js";
import { planLaunch } from "./launch.js";
import { groupGoneTimeout, retireGroup, sweepAction } from "./retire.js";
import { capacityFor } from "./steady.js";
import { planRollout } from "./rollout.js";
import { rolloutSteps } from "./batches.js";

export interface SlotChoice {
  slot: string;
  /** A live group that must go first to free its slot. */
  evict?: ObservedGroup;
}

/** The first free slot; else the slot of the group that serves least, never `keep`'s. */
export function chooseSlot(
  ctx: PlanContext,
  component: string,
  groups: ObservedGroup[],
  keep: ObservedGroup | undefined,
): SlotChoice | undefined {
  const live = groups.filter((g) => !g.deleting);
  // A slot nothing holds first; one whose group is being deleted only after that group is gone.
  const free =
    slots.find((s) => !groups.some((g) => g.slot === s)) ??
    slots.find((s) => !live.some((g) => g.slot === s));
  if (free !== undefined) return { slot: free };
  // A kept slot (it serves nothing) goes before one that serves.
  const kept = (g: ObservedGroup) => (keptUntil(ctx, g) !== undefined ? 0 : 1);
  const byServing = (a: ObservedGroup, b: ObservedGroup) =>
    kept(a) - kept(b) ||
    liveInstances(a).length - liveInstances(b).length ||
    a.createdTime.localeCompare(b.createdTime);
  const managed = live.filter((g) => g.managed).sort(byServing);
  const spared = keep ?? managed[managed.length - 1];
  const evict = managed.find((g) => g !== spared);
  if (!evict) {
    ctx.problems.push(
      `${component}: no free slot: ${live.map((g) => `${g.name}${g.managed ? "" : " (not created by asg-release)"}`).join(", ")}`,
    );
    return undefined;
  }
  return { slot: evict.slot, evict };
}

export interface SlotPlan {
  name: string;
  actions: Action[];
  onFailure: Action[];
  reusedFrom?: string;
  warnings: string[];
}

export function planSlot(
  ctx: PlanContext,
  desired: DesiredComponent,
  slot: string,
  lbs: LbRef[],
  reuse: ObservedGroup | undefined,
  reconfigure = false,
): SlotPlan {
  const component = desired.name;
  const name = groupName(ctx, component, slot);
  const config = ctx.request.config;
  const launch = planLaunch(ctx, desired, name, reuse, reconfigure);
  const network = ctx.observed.network;
  let subnetIds: string[] = [];
  if (network) {
    const subnets = resolveSubnets(componentSettings(config, component).subnets, network);
    if (subnets.ok) subnetIds = subnets.value.map((s) => s.id);
    else ctx.problems.push(`${component}: ${subnets.problem}`);
  }
  const tags: Record<string, string> = {
    ...componentSettings(config, component).tags,
    [ctx.keys.project]: ctx.request.project,
    [ctx.keys.compName]: component,
    [ctx.keys.imageId]: desired.image,
    ...(desired.digest ? { [ctx.keys.digest]: desired.digest } : {}),
  };
  const steps = rolloutSteps(desired.replicas, config.rollout);
  const first = capacityFor(ctx, undefined, steps[0]?.count ?? desired.replicas);
  const hook = desiredHook(config);
  const actions: Action[] = [
    ...launch.actions,
    {
      kind: "createGroup",
      component,
      group: name,
      launch: { kind: launch.kind, name },
      subnetIds,
      ...first,
      tags,
      // What the group's launch hook is, so later deploys know it without asking (plan-hook.ts).
      groupTags: { [ctx.keys.lifecycleHook]: hookRecord(hook) },
      ...(hook ? { hook } : {}),
      // The grace period outlasts lb_wait_join, so Auto Scaling does not replace members the wait
      // is still judging; after it, the load balancer's health check replaces failing members.
      healthCheck:
        lbs.length > 0
          ? { type: "ELB", graceSeconds: config.inst_running_timeout + config.join_timeout }
          : { type: "EC2", graceSeconds: 0 },
      reason: `slot ${slot} runs ${desired.image}`,
    },
  ];
  if (lbs.length > 0) {
    actions.push({
      kind: "attachLbs",
      component,
      group: name,
      lbs,
      reason: "instances register as they go InService; unhealthy ones get no traffic",
    });
  }
  actions.push(...planRollout(ctx, desired, name, lbs, steps));
  return {
    name,
    actions,
    onFailure: teardown(ctx, component, name, lbs, launch.kind),
    ...(launch.reusedFrom ? { reusedFrom: launch.reusedFrom } : {}),
    warnings: launch.warnings,
  };
}

/** Health-gated switching: the new slot goes, the old one was never detached. */
function teardown(
  ctx: PlanContext,
  component: string,
  name: string,
  lbs: LbRef[],
  kind: "template" | "configuration",
): Action[] {
  const reason = `${name} did not become healthy: the old slot keeps serving`;
  return [
    ...(lbs.length > 0 ? [{ kind: "detachLbs" as const, component, group: name, lbs, reason }] : []),
    { kind: "deleteGroup", component, group: name, reason },
    {
      kind: "waitGroupGone",
      component,
      group: name,
      timeoutSeconds: groupGoneTimeout,
      reason: "its members terminate first",
    },
    sweepAction(component, name),
    kind === "template"
      ? { kind: "deleteLaunchTemplate", component, name, reason }
      : { kind: "deleteLaunchConfiguration", component, name, reason },
  ];
}

/** Tearing down a group that was observed (a new slot that a re-run finds unhealthy). */
export function teardownObserved(ctx: PlanContext, group: ObservedGroup): Action[] {
  return retireGroup(ctx, group, `${group.name} did not become healthy: the old slot keeps serving`).filter(
    (a) =>
      a.kind !== "markHandoff" &&
      a.kind !== "detachInstances" &&
      a.kind !== "postHandoff" &&
      a.kind !== "clearHandoff",
  );
}
