// Prints a plan for people: one block per change, one numbered line per action with its reason,
// what happens if the new slot does not become healthy, then warnings and problems.
import type { Action, Change, LbRef, Plan } from "./actions.js";
import type { LaunchData } from "./launch-data.js";

const lbText = (lbs: LbRef[]) =>
  lbs.map((l) => (l.kind === "classic" ? `load balancer ${l.name}` : `target group ${l.name}`)).join(", ");
const ids = (list: string[]) =>
  list.length <= 4 ? list.join(", ") : `${list.slice(0, 4).join(", ")} and ${list.length - 4} more`;

function launchText(data: LaunchData, fromS3?: string): string {
  const parts = [data.imageId, data.instanceType].filter((p): p is string => p !== undefined);
  if (data.securityGroupIds?.length) parts.push(data.securityGroupIds.join(" "));
  if (fromS3) parts.push(`user_data from s3://${fromS3}`);
  else if (data.userData !== undefined) parts.push(`user_data ${Buffer.byteLength(data.userData)} bytes`);
  return parts.join(", ");
}

const heads = { deploy: "Deploy", destroy: "Destroy", rollback: "Rollback" } as const;

export function describeAction(a: Action): string {
  switch (a.kind) {
    case "createLaunchTemplate":
      return `create launch template ${a.name} (${launchText(a.data, a.pendingUserData && `${a.pendingUserData.bucket}/${a.pendingUserData.key}`)})`;
    case "deleteLaunchTemplate":
      return `delete launch template ${a.name}`;
    case "createLaunchConfiguration":
      return `create launch configuration ${a.name} (${launchText(a.data, a.pendingUserData && `${a.pendingUserData.bucket}/${a.pendingUserData.key}`)})`;
    case "deleteLaunchConfiguration":
      return `delete launch configuration ${a.name}`;
    case "createGroup":
      return `create group ${a.group} from launch ${a.launch.kind} ${a.launch.name}: ${a.desiredCapacity} instance(s) in ${a.subnetIds.join(", ") || "its subnets"}${a.hook ? `, launch hook ${a.hook.name}` : ""}`;
    case "ensureLifecycleHook":
      return a.hook
        ? `put launch hook ${a.hook.name} on ${a.group} (heartbeat ${a.hook.heartbeatTimeout} s, default ${a.hook.defaultResult})${a.remove.length ? `, delete ${a.remove.join(", ")}` : ""}`
        : `delete launch hook ${a.remove.join(", ")} from ${a.group}`;
    case "setCapacity":
      return `set ${a.group} to ${a.desiredCapacity} instance(s) (min ${a.minSize}, max ${a.maxSize})`;
    case "attachLbs":
      return `attach ${a.group} to ${lbText(a.lbs)}`;
    case "detachLbs":
      return `detach ${a.group} from ${lbText(a.lbs)}`;
    case "bake":
      return `bake ${a.group} for ${a.seconds} s, watching that ${a.healthy} of ${a.count} instance(s) stay ${a.lbs.length ? `healthy in ${lbText(a.lbs)}` : "InService"}`;
    case "waitJoin":
      return `wait for ${a.healthy !== undefined ? `${a.healthy} of ` : ""}${a.count} instance(s) of ${a.group}: running within ${a.runningTimeoutSeconds} s, then ${a.lbs.length ? `healthy in ${lbText(a.lbs)}` : "InService"} within ${a.joinTimeoutSeconds} s`;
    case "keepGroup":
      return `keep ${a.group} for ${a.seconds} s (tag it kept until then)`;
    case "unkeepGroup":
      return `clear ${a.group}'s kept tag`;
    case "waitDrained":
      return `wait up to ${a.timeoutSeconds} s for ${a.group}'s members to drain from ${lbText(a.lbs)}`;
    case "markHandoff":
      return `tag ${ids(a.instanceIds)} as being handed off`;
    case "detachInstances":
      return `detach ${ids(a.instanceIds)} from ${a.group}`;
    case "postHandoff":
      return `POST ${ids(a.bodies.map((b) => b.ec2_instance_id))} to ${a.uri}`;
    case "clearHandoff":
      return `forget ${ids(a.instanceIds)}`;
    case "deleteGroup":
      return `delete group ${a.group} (terminates its instances)`;
    case "waitGroupGone":
      return `wait up to ${a.timeoutSeconds} s for ${a.group} to be gone`;
    case "sweepVolumes":
      return `delete the release volumes ${a.group}'s instances left behind`;
  }
}

function formatChange(change: Change): string[] {
  const lines = [`${change.component}: ${change.kind}: ${change.reason}`];
  change.actions.forEach((a, i) => lines.push(`  ${i + 1}. ${describeAction(a)}: ${a.reason}`));
  if (change.onFailure.length > 0) {
    lines.push("  if the new instances do not become or stay healthy (rollback):");
    for (const a of change.onFailure) lines.push(`     - ${describeAction(a)}`);
  }
  return lines;
}

export function formatPlan(plan: Plan): string {
  const mode = plan.mode === "limited" ? ", limited-permissions mode" : "";
  const n = plan.changes.length;
  const head = `${heads[plan.operation]} plan for project ${plan.project} in ${plan.region}${mode}: ${n === 0 ? "nothing to do" : `${n} change${n === 1 ? "" : "s"}`}`;
  const lines = [head];
  for (const change of plan.changes) lines.push("", ...formatChange(change));
  if (plan.warnings.length || plan.problems.length) lines.push("");
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  for (const p of plan.problems) lines.push(`problem: ${p}`);
  return lines.join("\n");
}
