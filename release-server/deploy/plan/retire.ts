// Taking a group out: detach it from its load balancers and wait for the deregistration delay, hand
// its instances to the delegated-destroy handler where configured, then delete the group and the
// launch template/configuration made for it. In limited-permissions mode only capacity changes.
import { parseName } from "#shared/naming/render.js";
import type { Action, HandoffBody, LbRef } from "../actions.js";
import type { ObservedGroup, ObservedInstance } from "../observe/observed.js";
import { attachedLbs, drainTimeout, liveInstances, type PlanContext } from "./context.js";

export const groupGoneTimeout = 600;

export function isDelegated(ctx: PlanContext, component: string): boolean {
  const dd = ctx.request.config.delegated_destroy;
  return !ctx.request.limitedPermissions && dd?.uri !== undefined && dd.components.includes(component);
}

/** Detach from every load balancer, then wait until the members have drained. */
export function detachActions(ctx: PlanContext, group: ObservedGroup, reason: string): Action[] {
  const lbs = attachedLbs(ctx, group);
  if (lbs.length === 0) return drainingActions(ctx, group);
  const component = group.component;
  return [
    { kind: "detachLbs", component, group: group.name, lbs, reason },
    {
      kind: "waitDrained",
      component,
      group: group.name,
      instanceIds: liveInstances(group).map((i) => i.instanceId),
      lbs,
      timeoutSeconds: drainTimeout(ctx, lbs),
      reason: "members leave the load balancers only after the deregistration delay",
    },
  ];
}

/**
 * A group already detached (a run killed between its detach and the wait) whose members a target
 * group still drains: wait for them before the group is deleted.
 */
function drainingActions(ctx: PlanContext, group: ObservedGroup): Action[] {
  const ids = liveInstances(group).map((i) => i.instanceId);
  const lbs = new Map<string, LbRef>();
  for (const lb of Object.values(ctx.observed.lbs)) {
    if (lb.kind === "targetGroup" && ids.some((id) => lb.health[id]?.state === "draining"))
      lbs.set(lb.arn, { kind: "targetGroup", arn: lb.arn, name: lb.name });
  }
  if (lbs.size === 0) return [];
  const refs = [...lbs.values()];
  return [
    {
      kind: "waitDrained",
      component: group.component,
      group: group.name,
      instanceIds: ids,
      lbs: refs,
      timeoutSeconds: drainTimeout(ctx, refs),
      reason:
        "detached by an earlier run: members leave the load balancers only after the deregistration delay",
    },
  ];
}

/** Lets a group go down to no instances (min 0, max as it is) at the given desired capacity. */
export function minimumZero(
  component: string,
  group: ObservedGroup,
  desiredCapacity: number,
  reason: string,
): Action {
  return {
    kind: "setCapacity",
    component,
    group: group.name,
    minSize: 0,
    maxSize: group.maxSize,
    desiredCapacity,
    reason,
  };
}

export function retireGroup(ctx: PlanContext, group: ObservedGroup, reason: string): Action[] {
  const component = group.component;
  const actions = detachActions(ctx, group, reason);
  if (ctx.request.limitedPermissions) {
    // docs/spec/deploy.md#limited-permissions: groups and launch settings are not changed: the group stays,
    // empty.
    actions.push(minimumZero(component, group, 0, reason));
    return actions;
  }
  const handed = liveInstances(group).filter(
    (i) => i.lifecycleState === "InService" || i.lifecycleState === "Standby",
  );
  if (isDelegated(ctx, component) && handed.length > 0) {
    actions.push(
      minimumZero(
        component,
        group,
        group.desiredCapacity,
        "the group may shrink to nothing as its instances are handed off",
      ),
    );
    actions.push(...handoffActions(ctx, group, handed));
  }
  actions.push(
    { kind: "deleteGroup", component, group: group.name, reason },
    {
      kind: "waitGroupGone",
      component,
      group: group.name,
      timeoutSeconds: groupGoneTimeout,
      reason: "its members terminate first",
    },
    sweepAction(component, group.name),
    ...deleteLaunchSource(ctx, group),
  );
  return actions;
}

/** Release volumes of an instance terminated before its agent set DeleteOnTermination (sweep-volumes.ts). */
export function sweepAction(component: string, group: string): Action {
  return {
    kind: "sweepVolumes",
    component,
    group,
    reason: "an instance terminated while its agent was attaching its release volume leaves it behind",
  };
}

/** docs/spec/deploy.md#delegated-destroy: detached from the group, then POSTed to the handler, then forgotten. */
export function handoffActions(
  ctx: PlanContext,
  group: ObservedGroup,
  instances: ObservedInstance[],
): Action[] {
  const component = group.component;
  const ids = instances.map((i) => i.instanceId);
  return [
    {
      kind: "markHandoff",
      component,
      instanceIds: ids,
      reason: "so a crash between detach and POST leaves them findable for the next run",
    },
    {
      kind: "detachInstances",
      component,
      group: group.name,
      instanceIds: ids,
      reason: `${component} is in delegated_destroy.components: instances are handed off, not terminated`,
    },
    ...postActions(ctx, component, instances),
  ];
}

export function postActions(
  ctx: PlanContext,
  component: string,
  instances: { instanceId: string; privateIp?: string }[],
): Action[] {
  const dd = ctx.request.config.delegated_destroy;
  if (!dd?.uri) return [];
  const bodies: HandoffBody[] = instances.map((i) => ({
    ec2_region: ctx.observed.region,
    ec2_instance_id: i.instanceId,
    ip_address: i.privateIp ?? null,
    project: ctx.request.project,
    component,
    user_data: dd.user_data ?? null,
  }));
  const ids = instances.map((i) => i.instanceId);
  return [
    {
      kind: "postHandoff",
      component,
      uri: dd.uri,
      bodies,
      reason: "the handler terminates them when it is done",
    },
    { kind: "clearHandoff", component, instanceIds: ids, reason: "handed off: no longer ours to track" },
  ];
}

/** The group's own launch template/configuration (named like it), never a shared or foreign one. */
export function deleteLaunchSource(ctx: PlanContext, group: ObservedGroup): Action[] {
  const component = group.component;
  const reason = `made for ${group.name}, which is gone`;
  const lt = ctx.observed.launchTemplates.find((t) => t.name === group.name);
  const lc = ctx.observed.launchConfigurations.find((c) => c.name === group.name);
  return [
    ...(lt ? [{ kind: "deleteLaunchTemplate" as const, component, name: lt.name, reason }] : []),
    ...(lc ? [{ kind: "deleteLaunchConfiguration" as const, component, name: lc.name, reason }] : []),
  ];
}

/**
 * Launch templates/configurations of the component whose group is gone (a run killed after deleting
 * the group, before deleting them), each after a sweep of the release volumes that group's members
 * may have left (the killed run did not get to it); but for the names in `except` (a slot being
 * brought up replaces its own leftover).
 */
export function orphanLaunchSources(ctx: PlanContext, component: string, except: string[] = []): Action[] {
  const groupNames = new Set(ctx.observed.groups.map((g) => g.name));
  const ours = (name: string) =>
    !groupNames.has(name) &&
    !except.includes(name) &&
    parseName(ctx.naming, name, { project: ctx.request.project })?.component === component;
  const reason = "left over from a group that is gone";
  const lts = ctx.observed.launchTemplates.filter((t) => ours(t.name)).map((t) => t.name);
  const lcs = ctx.observed.launchConfigurations.filter((c) => ours(c.name)).map((c) => c.name);
  return [...new Set([...lts, ...lcs])]
    .sort()
    .flatMap((name): Action[] => [
      sweepAction(component, name),
      ...(lts.includes(name) ? [{ kind: "deleteLaunchTemplate" as const, component, name, reason }] : []),
      ...(lcs.includes(name)
        ? [{ kind: "deleteLaunchConfiguration" as const, component, name, reason }]
        : []),
    ]);
}
