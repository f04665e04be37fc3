// `asg-release destroy --env E --project P [--model M] [--lock-wait SECONDS] [--yes]`: tears the
// project down (only the model's components with --model); delegated destroy where configured.
import type { Command } from "commander";
import { registerScopedApply } from "./scoped-apply.js";

export function registerDestroy(program: Command): void {
  registerScopedApply(program, {
    operation: "destroy",
    description: "tear the project's components down",
    modelHelp: "destroy only this model's components",
  });
}
