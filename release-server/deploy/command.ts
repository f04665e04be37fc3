// The deploy and destroy commands end to end: plan, confirm, pre-flight, then under the project's
// lock re-read the state, plan again and run. A re-run after a failure or crash finishes the job,
// because the plan is always computed from what AWS holds now.
import type { AwsClients } from "#shared/aws/clients.js";
import { AsgReleaseError, ConfigError } from "#shared/errors.js";
import type { Logger } from "#shared/log.js";
import type { Clock } from "#shared/poll.js";
import type { Operation, Plan } from "./actions.js";
import { formatPlan } from "./format.js";
import type { HandoffClient } from "./execute/handoff.js";
import { breakStaleLock, currentHolder, describeHolder, withLock, type LockHolder } from "./lock.js";
import { loadInputs, preparePlan, problemsError, type InputOptions, type PlanDeps } from "./prepare.js";
import type { Progress } from "./progress.js";
import { runPlan } from "./execute/run-plan.js";
import { tagKeys } from "./tags.js";

export interface CommandDeps extends Omit<PlanDeps, "aws"> {
  env: NodeJS.ProcessEnv;
  clients: (region: string) => AwsClients;
  handoff: HandoffClient;
  progress: Progress;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Asks the operator to go ahead; absent: only --yes goes ahead. */
  confirm?: (plan: Plan) => Promise<boolean>;
  clock?: Clock;
  pollMs?: number;
  /** JSON lines for each action's start and end; none when absent. */
  log?: Logger;
}

export interface ApplyOptions extends InputOptions {
  operation: Operation;
  replaceAll?: boolean;
  forceReplace?: string[];
  reconfigure?: boolean;
  lockWaitSeconds?: number;
  yes?: boolean;
  /** The command line, recorded with the lock. */
  command: string;
}

export async function applyCommand(opts: ApplyOptions, deps: CommandDeps): Promise<void> {
  const inputs = await loadInputs(opts, deps.env, deps.err);
  const aws = deps.clients(inputs.region);
  try {
    const planOpts = { ...opts, readUserData: true };
    const first = await preparePlan(inputs, planOpts, { ...deps, aws });
    deps.out.write(`${formatPlan(first)}\n`);
    if (first.problems.length > 0) throw problemsError(first);
    if (first.changes.length === 0) {
      // A deploy killed after its last change left its lock: nothing else will remove it.
      const stale = await breakStaleLock(aws, opts.project, currentHolder(opts.command));
      if (stale)
        deps.err.write(
          `removed the deploy lock of ${opts.project} left by ${describeHolder(stale)}: that process is gone\n`,
        );
      return;
    }
    if (!opts.yes) {
      if (!deps.confirm)
        throw new ConfigError([], "not confirmed: pass --yes to apply the plan without a terminal");
      if (!(await deps.confirm(first)))
        throw new AsgReleaseError("not confirmed; nothing was changed", { code: "NotConfirmed" });
    }
    await preflightHandoff(first, deps.handoff);
    const breakCommand = `asg-release lock release ${opts.envFiles.map((f) => `--env ${f}`).join(" ")} --project ${opts.project} --force`;
    const lockOpts = {
      waitSeconds: opts.lockWaitSeconds ?? 0,
      breakCommand,
      ...(deps.clock ? { clock: deps.clock } : {}),
      onWait: () => deps.err.write(`waiting for the deploy lock of ${opts.project}\n`),
      onTakeover: (stale: LockHolder) =>
        deps.err.write(
          `took over the deploy lock of ${opts.project} left by ${describeHolder(stale)}: that process is gone\n`,
        ),
    };
    await withLock(aws, opts.project, currentHolder(opts.command), lockOpts, async () => {
      // The state may have moved while this run waited for the lock: plan again from what is there now.
      const plan = await preparePlan(inputs, planOpts, { ...deps, aws });
      if (plan.problems.length > 0) throw problemsError(plan);
      if (JSON.stringify(plan.changes) !== JSON.stringify(first.changes)) {
        deps.out.write(
          `\nthe state changed before the lock was taken; running this plan instead:\n${formatPlan(plan)}\n`,
        );
      }
      const keys = tagKeys(inputs.environment.ec2Asg.tag_prefix);
      await runPlan(
        plan,
        {
          aws,
          handoff: deps.handoff,
          handoffTag: keys.handoff,
          keptTag: keys.keptUntil,
          pollMs: deps.pollMs ?? 1000,
          ...(deps.clock ? { clock: deps.clock } : {}),
          ...(deps.log ? { log: deps.log } : {}),
        },
        deps.progress,
      );
    });
    deps.out.write(`${done[opts.operation]}: project ${opts.project} in ${inputs.region}\n`);
  } finally {
    aws.destroy();
  }
}

const done: Record<Operation, string> = {
  deploy: "deployed",
  destroy: "destroyed",
  rollback: "rolled back",
};

async function preflightHandoff(plan: Plan, handoff: HandoffClient): Promise<void> {
  const uris = new Set(
    plan.changes.flatMap((c) => c.actions.flatMap((a) => (a.kind === "postHandoff" ? [a.uri] : []))),
  );
  for (const uri of uris) await handoff.check(uri);
}
