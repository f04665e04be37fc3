// `asg-release plan --model M --env E [--env E2] --project P [--replace-all] [--json]`: reads the
// state and prints what a deploy would do, with the reason for each action. Nothing is changed.
import type { Command } from "commander";
import { collect, withTargetOptions } from "./deploy-options.js";

export interface PlanOptions {
  env: string[];
  model: string;
  project: string;
  replaceAll?: boolean;
  forceReplace?: string[];
  reconfigure?: boolean;
  destroy?: boolean;
  json?: boolean;
}

export function registerPlan(program: Command): void {
  withTargetOptions(
    program.command("plan").description("show what a deploy (or destroy) would do; nothing is changed"),
  )
    .option("--model <file>", "application model (required unless --destroy)")
    .option("--replace-all", "plan replacing every component's instances")
    .option("--force-replace <component>", "plan replacing this component's instances; repeatable", collect)
    .option("--reconfigure", "plan replacements with the environment's launch settings, not the running ones")
    .option("--destroy", "plan a destroy of the project (of the model's components with --model)")
    .option("--json", "print the plan as JSON")
    .exitOverride()
    .action(async (opts: PlanOptions) => {
      const { runPlan } = await import("./plan-run.js");
      await runPlan(opts);
    });
}
