// Scaling activities: the record of every launch, termination and detachment a group makes, with
// its cause and status, as DescribeScalingActivities reports it (newest first).
import { randomUUID } from "node:crypto";
import type { AutoScalingGroup, ScalingActivity } from "../../state/types.js";
import type { OpHandler } from "../types.js";
import { requireGroup } from "./lookup.js";
import { pageOf } from "./paging.js";
import { activityShape } from "./shapes.js";

const KEEP = 500;

export function startActivity(
  group: AutoScalingGroup,
  now: Date,
  a: { description: string; cause: string; details?: Record<string, string>; statusCode?: string },
): ScalingActivity {
  const activity: ScalingActivity = {
    activityId: randomUUID(),
    autoScalingGroupName: group.autoScalingGroupName,
    description: a.description,
    cause: a.cause,
    startTime: now,
    statusCode: a.statusCode ?? "InProgress",
    progress: 0,
    details: JSON.stringify(a.details ?? {}),
  };
  group.activities.push(activity);
  if (group.activities.length > KEEP) group.activities.splice(0, group.activities.length - KEEP);
  return activity;
}

/** Moves an activity on: a final status (Successful, Failed, Cancelled) also ends it. */
export function updateActivity(
  group: AutoScalingGroup,
  activityId: string | undefined,
  now: Date,
  statusCode: string,
  statusMessage?: string,
): void {
  const activity = group.activities.find((a) => a.activityId === activityId);
  if (!activity || activity.endTime) return;
  activity.statusCode = statusCode;
  if (statusMessage !== undefined) activity.statusMessage = statusMessage;
  if (statusCode === "Successful" || statusCode === "Failed" || statusCode === "Cancelled") {
    activity.endTime = now;
    activity.progress = 100;
  } else {
    activity.progress = Math.max(activity.progress, 30);
  }
}

export const describeScalingActivities: OpHandler = ({ region, params }) => {
  const groupName = params.str("AutoScalingGroupName");
  const ids = params.strings("ActivityIds");
  const groups = groupName ? [requireGroup(region, groupName)] : [...region.autoScalingGroups.values()];
  const all = groups
    .flatMap((g) => [...g.activities].reverse().map((a) => ({ g, a })))
    .filter(({ a }) => ids.length === 0 || ids.includes(a.activityId))
    .sort((x, y) => y.a.startTime.getTime() - x.a.startTime.getTime());
  const page = pageOf(all, params, {
    scope: `DescribeScalingActivities:${groupName ?? ""}:${ids.join(",")}`,
    defaultSize: 100,
    maxSize: 100,
  });
  return { Activities: page.items.map(({ g, a }) => activityShape(g, a)), NextToken: page.nextToken };
};
