// SuspendProcesses, ResumeProcesses, DescribeScalingProcessTypes: which of the group's automatic
// processes run (the reconcile loop consults them).
import { validationError } from "../../api/errors.js";
import type { AutoScalingGroup } from "../../state/types.js";
import type { OpHandler } from "../types.js";
import { causeTime } from "./causes.js";
import { requiredParam } from "./errors.js";
import { requireLiveGroup } from "./lookup.js";

export const PROCESSES = [
  "Launch",
  "Terminate",
  "AddToLoadBalancer",
  "AlarmNotification",
  "AZRebalance",
  "HealthCheck",
  "InstanceRefresh",
  "ReplaceUnhealthy",
  "ScheduledActions",
] as const;

export function isSuspended(group: AutoScalingGroup, process: (typeof PROCESSES)[number]): boolean {
  return group.suspendedProcesses.includes(process);
}

function requested(names: string[]): string[] {
  const unknown = names.filter((n) => !(PROCESSES as readonly string[]).includes(n));
  if (unknown.length) throw validationError(`Invalid processes: [${unknown.join(", ")}]`);
  return names.length ? [...new Set(names)] : [...PROCESSES];
}

export const suspendProcesses: OpHandler = ({ sim, region, params }) => {
  const group = requireLiveGroup(
    region,
    requiredParam(params.str("AutoScalingGroupName"), "AutoScalingGroupName"),
  );
  const reason = `User suspended at ${causeTime(sim.clock.now())}`;
  group.suspensionReasons ??= {};
  for (const p of requested(params.strings("ScalingProcesses"))) {
    if (!group.suspendedProcesses.includes(p)) group.suspendedProcesses.push(p);
    group.suspensionReasons[p] ??= reason;
  }
  return undefined;
};

export const resumeProcesses: OpHandler = ({ region, params }) => {
  const group = requireLiveGroup(
    region,
    requiredParam(params.str("AutoScalingGroupName"), "AutoScalingGroupName"),
  );
  const names = requested(params.strings("ScalingProcesses"));
  group.suspendedProcesses = group.suspendedProcesses.filter((p) => !names.includes(p));
  for (const p of names) delete group.suspensionReasons?.[p];
  return undefined;
};

export const describeScalingProcessTypes: OpHandler = () => ({
  Processes: PROCESSES.map((ProcessName) => ({ ProcessName })),
});
