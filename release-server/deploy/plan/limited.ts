// docs/spec/deploy.md#limited-permissions: each component has pre-created groups {prj}.{name}_A and
// _B tagged skopos:image_id and skopos:comp_name. Only capacities and load balancer attachments
// change; an upgrade scales up the idle side whose image tag matches the model.
import { slots } from "#shared/naming/names.js";
import type { Action, Change } from "../actions.js";
import type { DesiredComponent } from "../desired.js";
import type { ObservedGroup } from "../observe/observed.js";
import { desiredLbs, groupName, liveInstances, type ComponentPlan, type PlanContext } from "./context.js";
import { retireGroup } from "./retire.js";
import { capacityFor, planSteady, waitJoinAction } from "./steady.js";

const isActive = (g: ObservedGroup) => g.desiredCapacity > 0 || liveInstances(g).length > 0;

export function planLimitedComponent(ctx: PlanContext, desired: DesiredComponent): ComponentPlan {
  const none = (warnings: string[]): ComponentPlan => ({ change: undefined, warnings });
  const name = desired.name;
  const sides = slots.map((slot) => ({
    slot,
    name: groupName(ctx, name, slot),
    group: ctx.observed.groups.find((g) => g.name === groupName(ctx, name, slot)),
  }));
  const missing = sides.filter((s) => !s.group || s.group.component !== name);
  if (missing.length > 0) {
    ctx.problems.push(
      `${name}: limited-permissions mode needs the pre-created groups ${sides.map((s) => s.name).join(" and ")}, each tagged ${ctx.keys.compName}=${name} and ${ctx.keys.imageId}=<image>; ` +
        `missing or untagged: ${missing.map((s) => s.name).join(", ")}`,
    );
    return none([]);
  }
  const groups = sides.map((s) => s.group!);
  const warnings = unpropagatedWarnings(ctx, groups);
  const lbs = desiredLbs(ctx, desired);
  const active = groups.filter(isActive);
  const target = active.find((g) => g.imageId === desired.image);
  if (target) {
    const steady = planSteady(ctx, target, desired, lbs);
    const rest = active
      .filter((g) => g !== target)
      .flatMap((g) =>
        retireGroup(ctx, g, `runs ${g.imageId ?? "an untagged image"}, replaced by ${target.name}`),
      );
    const actions = [...steady.actions, ...rest];
    if (actions.length === 0) return none(warnings);
    const kind =
      rest.length > 0 ? "resume" : steady.actions.some((a) => a.kind === "setCapacity") ? "scale" : "attach";
    const change: Change = {
      component: name,
      kind,
      reason: steady.reasons.join("; ") || `finish switching to ${target.name}`,
      actions,
      onFailure: [],
    };
    return { change, warnings };
  }
  const idle = groups.find((g) => !isActive(g) && g.imageId === desired.image);
  if (!idle) {
    const spare = groups.find((g) => !isActive(g));
    ctx.problems.push(
      spare
        ? `${name}: no idle group is set up for ${desired.image}: edit ${spare.name} (idle) to launch the new version and set its tag ${ctx.keys.imageId} to "${desired.image}" (it is ${JSON.stringify(spare.imageId ?? "")}); it must differ from the running one`
        : `${name}: both ${groups.map((g) => g.name).join(" and ")} are in use and neither is tagged ${ctx.keys.imageId}="${desired.image}"; scale one of them to 0 or finish the earlier upgrade`,
    );
    return none(warnings);
  }
  const actions: Action[] = [
    {
      kind: "setCapacity",
      component: name,
      group: idle.name,
      ...capacityFor(ctx, idle, desired.replicas),
      reason: `${idle.name} is set up for ${desired.image}`,
    },
  ];
  if (lbs.length > 0)
    actions.push({
      kind: "attachLbs",
      component: name,
      group: idle.name,
      lbs,
      reason: `${name} is a target of its load balancers`,
    });
  if (desired.replicas > 0)
    actions.push(
      waitJoinAction(
        ctx,
        idle.name,
        desired,
        lbs,
        desired.replicas,
        "only healthy instances count as deployed (lb_wait_join)",
      ),
    );
  actions.push(...active.flatMap((g) => retireGroup(ctx, g, `replaced by ${idle.name} (${desired.image})`)));
  const reason =
    active.length > 0
      ? `image ${active[0]!.imageId ?? "?"} -> ${desired.image}: side ${idle.slot}`
      : `new component: ${desired.image} on side ${idle.slot}`;
  const failed = `${idle.name} did not become healthy: the old side keeps serving`;
  const onFailure: Action[] = [
    ...(lbs.length > 0
      ? [{ kind: "detachLbs" as const, component: name, group: idle.name, lbs, reason: failed }]
      : []),
    {
      kind: "setCapacity",
      component: name,
      group: idle.name,
      minSize: 0,
      maxSize: idle.maxSize,
      desiredCapacity: 0,
      reason: failed,
    },
  ];
  const change: Change = {
    component: name,
    kind: active.length > 0 ? "upgrade" : "deploy",
    reason,
    actions,
    onFailure,
  };
  return { change, warnings };
}

// docs/spec/deploy.md#limited-tags: the tags are required on the group, propagated to its
// instances. The plan does not need them on the instances (the group's tag stands in), so this is a
// warning (docs/spec/deploy.md#diff-limited-propagation).
function unpropagatedWarnings(ctx: PlanContext, groups: ObservedGroup[]): string[] {
  return groups.flatMap((g) => {
    const keys = [ctx.keys.imageId, ctx.keys.compName].filter((k) => g.unpropagatedTags?.includes(k));
    if (keys.length === 0) return [];
    return [
      `${g.name}: ${keys.length > 1 ? `the tags ${keys.join(", ")} are` : `the tag ${keys[0]} is`} not propagated to launched instances; set "PropagateAtLaunch" on ${keys.length > 1 ? "them" : "it"} (docs/spec/deploy.md#limited-tags)`,
    ];
  });
}
