// What every planner function shares: the request, the observed state, the tag keys and the names,
// plus small readings of the observed groups the planners agree on. Planners return their warnings
// with what they plan; plan.ts collects them in planning order.
import type { NamingTemplate } from "#shared/naming/template.js";
import { renderName } from "#shared/naming/render.js";
import type { Change, LbRef } from "../actions.js";
import type { DeployRequest, DesiredComponent } from "../desired.js";
import { boundLb, lbLookupKey } from "../desired.js";
import type { Observed, ObservedGroup, ObservedInstance, ObservedLb } from "../observe/observed.js";
import type { TagKeys } from "../tags.js";
import { reportedImage } from "#shared/registry/reported-image.js";

export interface PlanContext {
  request: DeployRequest;
  observed: Observed;
  keys: TagKeys;
  naming: NamingTemplate;
  problems: string[];
}

/** One component's change (none when nothing is to be done) and what the operator should know. */
export interface ComponentPlan {
  change: Change | undefined;
  warnings: string[];
}

export function groupName(ctx: PlanContext, component: string, slot: string): string {
  return renderName(ctx.naming, { project: ctx.request.project, component, slot });
}

const gone = /^(Terminating|Detaching|Detached|Quarantined)/;

/** Members that run or are on their way to running (docs/spec/deploy.md#launch-config-reuse: "running instances"). */
export function liveInstances(group: ObservedGroup): ObservedInstance[] {
  return group.instances.filter((i) => !gone.test(i.lifecycleState));
}

/** The image a group reports, "unknown" tag included when its digest is stale. */
export function groupImage(ctx: PlanContext, group: ObservedGroup): string | undefined {
  if (group.imageId === undefined) return undefined;
  return reportedImage(group.imageId, group.digest, ctx.request.digests[group.imageId]);
}

export function newestFirst(groups: ObservedGroup[]): ObservedGroup[] {
  return [...groups].sort(
    (a, b) => b.createdTime.localeCompare(a.createdTime) || a.slot.localeCompare(b.slot),
  );
}

/** The component's load balancers as the planner refers to them; unresolved ones are left to pre-flight. */
export function desiredLbs(ctx: PlanContext, desired: DesiredComponent): LbRef[] {
  const refs: LbRef[] = [];
  for (const key of desired.lbKeys) {
    const binding = boundLb(ctx.request.config, key);
    const lb = binding === undefined ? undefined : ctx.observed.lbs[lbLookupKey(binding)];
    if (!lb) continue;
    const ref: LbRef =
      lb.kind === "classic"
        ? { kind: "classic", name: lb.name }
        : { kind: "targetGroup", arn: lb.arn, name: lb.name };
    if (!refs.some((r) => sameLb(r, ref))) refs.push(ref);
  }
  return refs;
}

/** What a group is attached to now. */
export function attachedLbs(ctx: PlanContext, group: ObservedGroup): LbRef[] {
  const byArn = new Map(
    Object.values(ctx.observed.lbs).flatMap((lb) => (lb.kind === "targetGroup" ? [[lb.arn, lb.name]] : [])),
  );
  return [
    ...group.loadBalancerNames.map((name): LbRef => ({ kind: "classic", name })),
    ...group.targetGroupArns.map((arn): LbRef => ({
      kind: "targetGroup",
      arn,
      name: byArn.get(arn) ?? targetGroupNameOf(arn),
    })),
  ];
}

export function sameLb(a: LbRef, b: LbRef): boolean {
  return a.kind === "classic"
    ? b.kind === "classic" && a.name === b.name
    : b.kind === "targetGroup" && a.arn === b.arn;
}

export function lbLabel(ref: LbRef): string {
  return ref.kind === "classic" ? `load balancer ${ref.name}` : `target group ${ref.name}`;
}

function targetGroupNameOf(arn: string): string {
  return /targetgroup\/([^/]+)/.exec(arn)?.[1] ?? arn;
}

export function findLb(ctx: PlanContext, ref: LbRef): ObservedLb | undefined {
  return Object.values(ctx.observed.lbs).find((l) =>
    ref.kind === "classic"
      ? l.kind === "classic" && l.name === ref.name
      : l.kind === "targetGroup" && l.arn === ref.arn,
  );
}

/** The longest drain among `lbs` (docs/spec/deploy.md#diff-drain), plus a margin. */
export function drainTimeout(ctx: PlanContext, lbs: LbRef[]): number {
  const seconds = lbs.map((ref) => findLb(ctx, ref)?.drainSeconds ?? 300);
  return Math.max(0, ...seconds) + 60;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
