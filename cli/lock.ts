// `asg-release lock status|release --env E --project P [--force]`: who holds the deploy lock of a
// project, and breaking a stale one (Kamal's `lock release`), only with --force.
import type { Command } from "commander";
import { createAwsClients } from "#shared/aws/clients.js";
import { ConfigError } from "#shared/errors.js";
import { withTargetOptions } from "./deploy-options.js";
import { describeHolder, lockName, readLock, releaseLock } from "../release-server/deploy/lock.js";
import { loadInputs } from "../release-server/deploy/prepare.js";

interface LockOptions {
  env: string[];
  project: string;
  force?: boolean;
}

async function withClients<T>(
  opts: LockOptions,
  fn: (aws: ReturnType<typeof createAwsClients>) => Promise<T>,
): Promise<T> {
  const inputs = await loadInputs({ envFiles: opts.env, project: opts.project }, process.env, process.stderr);
  const aws = createAwsClients({ region: inputs.region });
  try {
    return await fn(aws);
  } finally {
    aws.destroy();
  }
}

export function registerLock(program: Command): void {
  const lock = program.command("lock").description("the deploy lock of a project");
  withTargetOptions(lock.command("status").description("show who holds the deploy lock"))
    .exitOverride()
    .action(async (opts: LockOptions) => {
      await withClients(opts, async (aws) => {
        const holder = await readLock(aws, opts.project);
        process.stdout.write(holder ? `locked: ${describeHolder(holder)}\n` : `unlocked: ${opts.project}\n`);
      });
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
      await withClients(opts, async (aws) => {
        const holder = await readLock(aws, opts.project);
        await releaseLock(aws, opts.project);
        process.stdout.write(
          holder
            ? `released ${lockName(opts.project)}, held by ${describeHolder(holder)}\n`
            : `unlocked: ${opts.project}\n`,
        );
      });
    });
}
