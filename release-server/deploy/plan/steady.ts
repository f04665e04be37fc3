// A component whose running group already has the model's image: scale it to the model's replicas,
// attach it to the load balancers it should be in (and detach it from bound ones it should not),
// and wait for its members to be healthy when anything changed or they are not yet.
import type { Action, LbRef } from "../actions.js";
import type { DesiredComponent } from "../desired.js";
import type { ObservedGroup } from "../observe/observed.js";
import {
  attachedLbs,
  drainTimeout,
  findLb,
  lbLabel,
  liveInstances,
  plural,
  sameLb,
  type PlanContext,
} from "./context.js";
import { handoffActions, isDelegated, minimumZero } from "./retire.js";

export interface Capacity {
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
}

/** The group holds exactly `replicas`; a pre-created group keeps a larger maximum. */
export function capacityFor(ctx: PlanContext, group: ObservedGroup | undefined, replicas: number): Capacity {
  const keepMax = ctx.request.limitedPermissions && group !== undefined ? group.maxSize : 0;
  return { minSize: replicas, maxSize: Math.max(replicas, keepMax), desiredCapacity: replicas };
}

export function waitJoinAction(
  ctx: PlanContext,
  group: string,
  desired: DesiredComponent,
  lbs: LbRef[],
  count: number,
  reason: string,
  healthy?: number,
): Action {
  const config = ctx.request.config;
  return {
    kind: "waitJoin",
    component: desired.name,
    group,
    count,
    ...(healthy !== undefined && healthy < count ? { healthy } : {}),
    lbs,
    runningTimeoutSeconds: config.inst_running_timeout,
    joinTimeoutSeconds: config.join_timeout,
    reason,
  };
}

/** Why the group's members are not all in service and healthy in `lbs`, or undefined when they are. */
export function notJoined(
  ctx: PlanContext,
  group: ObservedGroup,
  lbs: LbRef[],
  count: number,
): string | undefined {
  const live = liveInstances(group);
  if (live.length < count) return `${plural(live.length, "instance")} of ${count} launched`;
  const waiting = live.filter((i) => i.lifecycleState !== "InService");
  if (waiting.length > 0) return `${plural(waiting.length, "instance")} not yet InService`;
  for (const ref of lbs) {
    const lb = findLb(ctx, ref);
    const healthy = (id: string) => ["healthy", "InService"].includes(lb?.health[id]?.state ?? "");
    const unhealthy = live.filter((i) => !healthy(i.instanceId));
    if (unhealthy.length > 0)
      return `${plural(unhealthy.length, "instance")} not yet healthy in ${lbLabel(ref)}`;
  }
  return undefined;
}

export function planSteady(
  ctx: PlanContext,
  group: ObservedGroup,
  desired: DesiredComponent,
  lbs: LbRef[],
): { actions: Action[]; reasons: string[] } {
  const component = desired.name;
  const actions: Action[] = [];
  const reasons: string[] = [];
  const want = capacityFor(ctx, group, desired.replicas);
  const live = liveInstances(group);
  let join = false;
  if (
    group.desiredCapacity !== want.desiredCapacity ||
    group.minSize !== want.minSize ||
    group.maxSize !== want.maxSize
  ) {
    const from = group.desiredCapacity;
    const reason =
      from === want.desiredCapacity
        ? `bounds ${group.minSize}-${group.maxSize} become ${want.minSize}-${want.maxSize}`
        : `replicas ${from} -> ${want.desiredCapacity}`;
    reasons.push(reason);
    const excess = live.filter((i) => i.lifecycleState === "InService").slice(want.desiredCapacity);
    if (want.desiredCapacity < from && isDelegated(ctx, component) && excess.length > 0) {
      actions.push(minimumZero(component, group, from, "lets the handed-off instances leave"));
      actions.push(...handoffActions(ctx, group, excess.slice(0, from - want.desiredCapacity)));
    }
    actions.push({ kind: "setCapacity", component, group: group.name, ...want, reason });
    join = want.desiredCapacity > from;
  }
  const attached = attachedLbs(ctx, group);
  const missing = lbs.filter((ref) => !attached.some((a) => sameLb(a, ref)));
  if (missing.length > 0) {
    const reason = `${component} is a target of ${missing.map(lbLabel).join(", ")}`;
    reasons.push(`attach to ${missing.map(lbLabel).join(", ")}`);
    actions.push({ kind: "attachLbs", component, group: group.name, lbs: missing, reason });
    join = true;
  }
  // Only load balancers bound in `lb` are ours to detach; anything else attached by hand stays.
  const extra = attached.filter((a) => !lbs.some((ref) => sameLb(ref, a)) && findLb(ctx, a) !== undefined);
  if (extra.length > 0) {
    reasons.push(`detach from ${extra.map(lbLabel).join(", ")}`);
    actions.push(
      {
        kind: "detachLbs",
        component,
        group: group.name,
        lbs: extra,
        reason: `${component} is no longer a target of ${extra.map(lbLabel).join(", ")}`,
      },
      {
        kind: "waitDrained",
        component,
        group: group.name,
        instanceIds: live.map((i) => i.instanceId),
        lbs: extra,
        timeoutSeconds: drainTimeout(ctx, extra),
        reason: "members leave the load balancers only after the deregistration delay",
      },
    );
  }
  const pending = notJoined(ctx, group, lbs, want.desiredCapacity);
  if (want.desiredCapacity > 0 && (join || pending !== undefined)) {
    if (!join && pending) reasons.push(pending);
    const reason = join ? "new members must be running and healthy" : (pending ?? "");
    actions.push(waitJoinAction(ctx, group.name, desired, lbs, want.desiredCapacity, reason));
  }
  return { actions, reasons };
}
