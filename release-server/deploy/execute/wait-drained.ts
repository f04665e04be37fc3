// docs/spec/deploy.md#diff-drain: after a group leaves its load balancers, wait
// until its members are no longer registered (target groups drain for their deregistration delay;
// classic load balancers for their connection-draining timeout) before the group is destroyed.
import { DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { awsSend } from "#shared/aws/call.js";
import type { ActionOf } from "../actions.js";
import { lbHealth } from "./wait-join.js";
import { waitStep, type WaitDeps } from "./wait-poll.js";

const stillThere = (text: string) => !/^(not registered|unused|unavailable)/.test(text);

export async function waitDrained(deps: WaitDeps, a: ActionOf<"waitDrained">): Promise<void> {
  const out = await awsSend(
    deps.aws.autoscaling,
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [a.group] }),
    { group: a.group },
  );
  const members = (out.AutoScalingGroups?.[0]?.Instances ?? []).map((i) => i.InstanceId ?? "");
  const ids = [...new Set([...a.instanceIds, ...members])];
  if (ids.length === 0 || a.lbs.length === 0) return;
  await waitStep(deps, {
    what: `${a.group} drained`,
    seconds: a.timeoutSeconds,
    check: async () => {
      const draining: string[] = [];
      for (const lb of a.lbs) {
        const health = await lbHealth(deps.aws, lb, ids);
        for (const id of ids) {
          const text = health.get(id)?.text ?? "not registered";
          if (stillThere(text)) draining.push(`${id} in ${lb.name}: ${text}`);
        }
      }
      if (draining.length === 0) return undefined;
      deps.report(`${draining.length} registration(s) of ${a.group} draining`);
      return draining.join("; ");
    },
    timedOut: (last) => ({
      step: "detach",
      message: `${a.group}: still registered after ${a.timeoutSeconds} s: ${last}`,
    }),
  });
}
