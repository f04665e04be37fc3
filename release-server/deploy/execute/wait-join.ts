// docs/spec/deploy.md#lb-wait-join: wait up to inst_running_timeout for instances still `pending` to be
// `running` in EC2, then up to join_timeout for every member to be InService in its group and
// healthy in each load balancer. On timeout the error names each instance and why it is not there.
import { DescribeAutoScalingGroupsCommand, type Instance as AsgInstance } from "@aws-sdk/client-auto-scaling";
import { DescribeInstancesCommand } from "@aws-sdk/client-ec2";
import { DescribeInstanceHealthCommand } from "@aws-sdk/client-elastic-load-balancing";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { awsSend } from "#shared/aws/call.js";
import type { AwsClients } from "#shared/aws/clients.js";
import type { ActionOf, LbRef } from "../actions.js";
import { waitStep, type WaitDeps } from "./wait-poll.js";

const leaving = /^(Terminating|Detaching|Detached)/;

export async function groupMembers(aws: AwsClients, group: string): Promise<AsgInstance[] | undefined> {
  const out = await awsSend(
    aws.autoscaling,
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] }),
    { group },
  );
  const found = out.AutoScalingGroups?.[0];
  return found ? (found.Instances ?? []).filter((i) => !leaving.test(i.LifecycleState ?? "")) : undefined;
}

async function ec2States(aws: AwsClients, ids: string[]): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  // 200 values per filter; a filter rather than InstanceIds: an id EC2 does not list yet is no error.
  for (let i = 0; i < ids.length; i += 200) {
    const chunk = ids.slice(i, i + 200);
    const out = await awsSend(
      aws.ec2,
      new DescribeInstancesCommand({ Filters: [{ Name: "instance-id", Values: chunk }] }),
      { instances: chunk.join(",") },
    );
    for (const r of out.Reservations ?? [])
      for (const x of r.Instances ?? []) states.set(x.InstanceId ?? "", x.State?.Name ?? "");
  }
  return states;
}

/** Health of `ids` in one load balancer: "healthy", or the state with its reason. */
export async function lbHealth(
  aws: AwsClients,
  lb: LbRef,
  ids: string[],
): Promise<Map<string, { ok: boolean; text: string }>> {
  const out = new Map<string, { ok: boolean; text: string }>();
  if (lb.kind === "classic") {
    const name = lb.name;
    const res = await awsSend(aws.elb, new DescribeInstanceHealthCommand({ LoadBalancerName: name }), {
      lb: name,
    });
    for (const s of res.InstanceStates ?? []) {
      const reason = [s.ReasonCode, s.Description].filter((x) => x && x !== "N/A").join(": ");
      out.set(s.InstanceId ?? "", {
        ok: s.State === "InService",
        text: `${s.State}${reason ? ` (${reason})` : ""}`,
      });
    }
  } else {
    const res = await awsSend(aws.elbv2, new DescribeTargetHealthCommand({ TargetGroupArn: lb.arn }), {
      targetGroup: lb.name,
    });
    for (const d of res.TargetHealthDescriptions ?? []) {
      const h = d.TargetHealth;
      const reason = [h?.Reason, h?.Description].filter(Boolean).join(": ");
      out.set(d.Target?.Id ?? "", {
        ok: h?.State === "healthy",
        text: `${h?.State}${reason ? ` (${reason})` : ""}`,
      });
    }
  }
  for (const id of ids) if (!out.has(id)) out.set(id, { ok: false, text: "not registered" });
  return out;
}

const lbName = (lb: LbRef) =>
  lb.kind === "classic" ? `load balancer ${lb.name}` : `target group ${lb.name}`;

/** The group's members and, for each one not InService or not healthy in every load balancer, why. */
export async function joinState(
  aws: AwsClients,
  group: string,
  lbs: LbRef[],
): Promise<{ members: AsgInstance[]; problems: string[] }> {
  const members = (await groupMembers(aws, group)) ?? [];
  const ids = members.map((m) => m.InstanceId ?? "");
  const health = await Promise.all(lbs.map(async (lb) => [lb, await lbHealth(aws, lb, ids)] as const));
  const problems = members.flatMap((m) => {
    const id = m.InstanceId ?? "";
    const why = [
      m.LifecycleState === "InService" ? "" : `lifecycle ${m.LifecycleState}`,
      ...health.map(([lb, h]) => (h.get(id)?.ok ? "" : `${lbName(lb)}: ${h.get(id)?.text ?? "unknown"}`)),
    ].filter(Boolean);
    return why.length ? [`${id}: ${why.join(", ")}`] : [];
  });
  return { members, problems };
}

export async function waitJoin(deps: WaitDeps, a: ActionOf<"waitJoin">): Promise<void> {
  const { aws } = deps;
  const context = { group: a.group };
  // docs/spec/deploy.md#inst-running-timeout: applies first, and only to instances just created and still
  // `pending`.
  await waitStep(deps, {
    what: `${a.group} running`,
    seconds: a.runningTimeoutSeconds,
    check: async () => {
      const members = (await groupMembers(aws, a.group)) ?? [];
      const states = await ec2States(
        aws,
        members.map((m) => m.InstanceId ?? ""),
      );
      const pending = members.filter((m) => states.get(m.InstanceId ?? "") !== "running");
      if (members.length >= a.count && pending.length === 0) return undefined;
      const last = [
        members.length < a.count ? `${members.length} of ${a.count} launched` : "",
        ...pending.map((m) => `${m.InstanceId}: ${states.get(m.InstanceId ?? "") ?? "not described yet"}`),
      ]
        .filter(Boolean)
        .join("; ");
      deps.report(`waiting for ${a.group} to run: ${last}`);
      return last;
    },
    timedOut: (last) => ({
      step: "lb_wait_join",
      message: `${a.group}: instances not running after inst_running_timeout ${a.runningTimeoutSeconds} s: ${last}`,
      context,
    }),
  });
  await waitStep(deps, {
    what: `${a.group} healthy`,
    seconds: a.joinTimeoutSeconds,
    check: async () => {
      const { members, problems } = await joinState(aws, a.group, a.lbs);
      const joined = members.length - problems.length;
      const needed = a.healthy ?? a.count;
      // Reported on the last check too: the progress ends on the count that passed, not the one before.
      deps.report(`${joined} of ${a.count} instances of ${a.group} healthy (${needed} needed)`);
      if (joined >= needed && members.length >= a.count) return undefined;
      return [members.length < a.count ? `${members.length} of ${a.count} launched` : "", ...problems]
        .filter(Boolean)
        .join("; ");
    },
    timedOut: (last) => ({
      step: "lb_wait_join",
      message: `${a.group}: not healthy after join_timeout ${a.joinTimeoutSeconds} s: ${last}`,
      context,
    }),
  });
}
