// `asg-release deploy --model M --env E --project P [--replace-all] [--force-replace C] [--reconfigure]
// [--lock-wait SECONDS] [--yes]`: plans, asks (or takes --yes), then applies under the project's lock.
import type { Command } from "commander";
import { collect, commandLine, withApplyOptions, withTargetOptions } from "./deploy-options.js";

interface DeployOptions {
  env: string[];
  model: string;
  project: string;
  replaceAll?: boolean;
  forceReplace?: string[];
  reconfigure?: boolean;
  lockWait?: number;
  yes?: boolean;
}

export function registerDeploy(program: Command): void {
  withApplyOptions(
    withTargetOptions(
      program.command("deploy").description("deploy, upgrade or scale the model's components"),
    ),
  )
    .requiredOption("--model <file>", "application model")
    .option("--replace-all", "replace every component's instances, even with unchanged images")
    .option("--force-replace <component>", "replace this component's instances; repeatable", collect)
    .option(
      "--reconfigure",
      "replaced components get the environment's launch settings, not the running ones",
    )
    .exitOverride()
    .action(async (opts: DeployOptions) => {
      const { apply } = await import("./apply-deps.js");
      await apply({
        envFiles: opts.env,
        modelFile: opts.model,
        project: opts.project,
        operation: "deploy",
        replaceAll: opts.replaceAll,
        forceReplace: opts.forceReplace,
        reconfigure: opts.reconfigure,
        lockWaitSeconds: opts.lockWait,
        yes: opts.yes,
        command: commandLine(process.argv),
      });
    });
}
