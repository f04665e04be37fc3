// `asg-release rollback --env E --project P [--model M] [--lock-wait SECONDS] [--yes]`: back to the
// slot the last upgrade kept (rollout.keep_old_slot): re-attach it, wait for it, retire the new one.
import type { Command } from "commander";
import { applyCommand } from "../release-server/deploy/command.js";
import { commandLine, withApplyOptions, withTargetOptions } from "./deploy-options.js";
import { applyDeps } from "./apply-deps.js";

interface RollbackOptions {
  env: string[];
  model?: string;
  project: string;
  lockWait?: number;
  yes?: boolean;
}

export function registerRollback(program: Command): void {
  withApplyOptions(
    withTargetOptions(
      program
        .command("rollback")
        .description(
          "serve from the slots the last upgrade kept (rollout.keep_old_slot) and retire the new ones",
        ),
    ),
  )
    .option("--model <file>", "roll back only this model's components")
    .exitOverride()
    .action(async (opts: RollbackOptions) => {
      await applyCommand(
        {
          envFiles: opts.env,
          ...(opts.model ? { modelFile: opts.model } : {}),
          project: opts.project,
          operation: "rollback",
          lockWaitSeconds: opts.lockWait,
          yes: opts.yes,
          command: commandLine(process.argv),
        },
        applyDeps(),
      );
    });
}
