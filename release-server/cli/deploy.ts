// `asg-release deploy --model M --env E --project P [--replace-all] [--force-replace C]
// [--lock-wait SECONDS] [--yes]`: plans, asks (or takes --yes), then applies under the project's lock.
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import { applyCommand } from "../deploy/command.js";
import { collect, commandLine, parseSeconds, withTargetOptions } from "../deploy/cli-options.js";
import { defaultDeps } from "../deploy/defaults.js";

interface DeployOptions {
  env: string[];
  model: string;
  project: string;
  replaceAll?: boolean;
  forceReplace?: string[];
  lockWait?: number;
  yes?: boolean;
}

export function registerDeploy(program: Command): void {
  withTargetOptions(program.command("deploy").description("deploy, upgrade or scale the model's components"))
    .requiredOption("--model <file>", "application model")
    .option("--replace-all", "replace every component's instances, even with unchanged images")
    .option("--force-replace <component>", "replace this component's instances; repeatable", collect)
    .option(
      "--lock-wait <seconds>",
      "wait this long for another deploy of the project to finish",
      parseSeconds,
      0,
    )
    .option("-y, --yes", "apply without asking")
    .exitOverride()
    .action(async (opts: DeployOptions) => {
      const tty = Boolean(process.stdout.isTTY);
      await applyCommand(
        {
          envFiles: opts.env,
          modelFile: opts.model,
          project: opts.project,
          operation: "deploy",
          replaceAll: opts.replaceAll,
          forceReplace: opts.forceReplace,
          lockWaitSeconds: opts.lockWait,
          yes: opts.yes,
          command: commandLine(process.argv),
        },
        { ...defaultDeps(process.env, tty), ...(process.stdin.isTTY ? { confirm: askOnTerminal } : {}) },
      );
    });
}

export async function askOnTerminal(): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question("Apply this plan? [y/N] ")).trim());
  } finally {
    rl.close();
  }
}
