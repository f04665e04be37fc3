// `asg-release destroy --env E --project P [--model M] [--lock-wait SECONDS] [--yes]`: tears the
// project down (only the model's components with --model); delegated destroy where configured.
import type { Command } from "commander";
import { applyCommand } from "../release-server/deploy/command.js";
import { commandLine, withApplyOptions, withTargetOptions } from "./deploy-options.js";
import { applyDeps } from "./apply-deps.js";

interface DestroyOptions {
  env: string[];
  model?: string;
  project: string;
  lockWait?: number;
  yes?: boolean;
}

export function registerDestroy(program: Command): void {
  withApplyOptions(
    withTargetOptions(program.command("destroy").description("tear the project's components down")),
  )
    .option("--model <file>", "destroy only this model's components")
    .exitOverride()
    .action(async (opts: DestroyOptions) => {
      await applyCommand(
        {
          envFiles: opts.env,
          ...(opts.model ? { modelFile: opts.model } : {}),
          project: opts.project,
          operation: "destroy",
          lockWaitSeconds: opts.lockWait,
          yes: opts.yes,
          command: commandLine(process.argv),
        },
        applyDeps(),
      );
    });
}
