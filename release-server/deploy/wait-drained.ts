// Seed 000: detach "respecting deregistration delay": after a group leaves its load balancers, wait
// until its members are no longer registered (target groups drain for their deregistration delay;
// classic load balancers for their connection-draining timeout) before the group is destroyed.
import { DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { StepError, AsgReleaseError } from "../../shared/errors.js";
import { poll } from "../../shared/poll.js";
import type { ActionOf } from "./actions.js";
import { awsCall } from "./aws-call.js";
import { lbHealth, type WaitDeps } from "./wait-join.js";

const stillThere = (text: string) => !/^(not registered|unused|unavailable)/.test(text);

export async function waitDrained(deps: WaitDeps, a: ActionOf<"waitDrained">): Promise<void> {
  const out = await awsCall("DescribeAutoScalingGroups", { group: a.group }, () =>
    deps.aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [a.group] })),
  );
  const members = (out?.AutoScalingGroups?.[0]?.Instances ?? []).map((i) => i.InstanceId ?? "");
  const ids = [...new Set([...a.instanceIds, ...members])];
  if (ids.length === 0 || a.lbs.length === 0) return;
  let last = "";
  try {
    await poll(
      async () => {
        const draining: string[] = [];
        for (const lb of a.lbs) {
          const health = await lbHealth(deps.aws, lb, ids);
          for (const id of ids) {
            const text = health.get(id)?.text ?? "not registered";
            if (stillThere(text)) draining.push(`${id} in ${lb.name}: ${text}`);
          }
        }
        last = draining.join("; ");
        if (draining.length === 0) return { state: "SUCCESS", value: undefined };
        deps.report(`${draining.length} registration(s) of ${a.group} draining`);
        return { state: "RETRY", reason: last };
      },
      {
        what: `${a.group} drained`,
        maxWaitMs: a.timeoutSeconds * 1000,
        minDelayMs: deps.pollMs,
        maxDelayMs: Math.max(deps.pollMs, 5000),
        ...(deps.clock ? { clock: deps.clock } : {}),
        ...(deps.signal ? { signal: deps.signal } : {}),
      },
    );
  } catch (err) {
    if (!(err instanceof AsgReleaseError && err.code === "WaitTimeout")) throw err;
    throw new StepError("detach", `${a.group}: still registered after ${a.timeoutSeconds} s: ${last}`, {
      cause: err,
    });
  }
}
