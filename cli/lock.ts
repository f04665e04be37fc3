// `asg-release lock status|release --env E --project P [--force]`: who holds the deploy lock of a
// project, and breaking a stale one (Kamal's `lock release`), only with --force.
import type { Command } from "commander";
import { ConfigError } from "#shared/errors.js";
import { withTargetOptions } from "./deploy-options.js";

export interface LockOptions {
  env: string[];
  project: string;
  force?: boolean;
}

export function registerLock(program: Command): void {
  const lock = program.command("lock").description("the deploy lock of a project");
  withTargetOptions(lock.command("status").description("show who holds the deploy lock"))
    .exitOverride()
    .action(async (opts: LockOptions) => {
      const { lockStatus } = await import("./lock-run.js");
      await lockStatus(opts);
    });
  withTargetOptions(
    lock.command("release").description("break the deploy lock (only when its holder is gone)"),
  )
    .option("--force", "confirm that the holder is gone")
    .exitOverride()
    .action(async (opts: LockOptions) => {
      if (!opts.force)
        throw new ConfigError(
          [],
          "lock release breaks another deploy's lock: pass --force once its holder is gone",
        );
      const { lockRelease } = await import("./lock-run.js");
      await lockRelease(opts);
    });
}
