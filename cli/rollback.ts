// `asg-release rollback --env E --project P [--model M] [--lock-wait SECONDS] [--yes]`: back to the
// slot the last upgrade kept (rollout.keep_old_slot): re-attach it, wait for it, retire the new one.
import type { Command } from "commander";
import { registerScopedApply } from "./scoped-apply.js";

export function registerRollback(program: Command): void {
  registerScopedApply(program, {
    operation: "rollback",
    description: "serve from the slots the last upgrade kept (rollout.keep_old_slot) and retire the new ones",
    modelHelp: "roll back only this model's components",
  });
}
