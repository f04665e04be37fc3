// The shape `destroy` and `rollback` share: the environment and project name what to act on, an
// optional model narrows it to that model's components, then plan, confirm and apply under the lock.
import type { Command } from "commander";
import type { Operation } from "../release-server/deploy/actions.js";
import { commandLine, withApplyOptions, withTargetOptions } from "./deploy-options.js";

interface ScopedOptions {
  env: string[];
  model?: string;
  project: string;
  lockWait?: number;
  yes?: boolean;
}

export function registerScopedApply(
  program: Command,
  spec: { operation: Operation; description: string; modelHelp: string },
): void {
  withApplyOptions(withTargetOptions(program.command(spec.operation).description(spec.description)))
    .option("--model <file>", spec.modelHelp)
    .exitOverride()
    .action(async (opts: ScopedOptions) => {
      const { apply } = await import("./apply-deps.js");
      await apply({
        envFiles: opts.env,
        ...(opts.model ? { modelFile: opts.model } : {}),
        project: opts.project,
        operation: spec.operation,
        lockWaitSeconds: opts.lockWait,
        yes: opts.yes,
        command: commandLine(process.argv),
      });
    });
}
