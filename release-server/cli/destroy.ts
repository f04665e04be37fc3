// `asg-release destroy --env E --project P [--model M] [--lock-wait SECONDS] [--yes]`: tears the
// project down (only the model's components with --model); delegated destroy where configured.
import type { Command } from "commander";
import { applyCommand } from "../deploy/command.js";
import { commandLine, parseSeconds, withTargetOptions } from "../deploy/cli-options.js";
import { defaultDeps } from "../deploy/defaults.js";
import { askOnTerminal } from "./deploy.js";

interface DestroyOptions {
  env: string[];
  model?: string;
  project: string;
  lockWait?: number;
  yes?: boolean;
}

export function registerDestroy(program: Command): void {
  withTargetOptions(program.command("destroy").description("tear the project's components down"))
    .option("--model <file>", "destroy only this model's components")
    .option(
      "--lock-wait <seconds>",
      "wait this long for another deploy of the project to finish",
      parseSeconds,
      0,
    )
    .option("-y, --yes", "apply without asking")
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
        {
          ...defaultDeps(process.env, Boolean(process.stdout.isTTY)),
          ...(process.stdin.isTTY ? { confirm: askOnTerminal } : {}),
        },
      );
    });
}
