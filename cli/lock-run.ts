// What `asg-release lock status|release` do (cli/lock.ts declares them): read or break the project's
// deploy lock. Loaded by the commands' actions only, as it brings the SDK clients.
import { createAwsClients, type AwsClients } from "#shared/aws/clients.js";
import { describeHolder, lockName, readLock, releaseLock } from "../release-server/deploy/lock.js";
import { loadInputs } from "../release-server/deploy/prepare.js";
import type { LockOptions } from "./lock.js";

async function withClients<T>(opts: LockOptions, fn: (aws: AwsClients) => Promise<T>): Promise<T> {
  const inputs = await loadInputs({ envFiles: opts.env, project: opts.project }, process.env, process.stderr);
  const aws = createAwsClients({ region: inputs.region });
  try {
    return await fn(aws);
  } finally {
    aws.destroy();
  }
}

export async function lockStatus(opts: LockOptions): Promise<void> {
  await withClients(opts, async (aws) => {
    const holder = await readLock(aws, opts.project);
    process.stdout.write(holder ? `locked: ${describeHolder(holder)}\n` : `unlocked: ${opts.project}\n`);
  });
}

export async function lockRelease(opts: LockOptions): Promise<void> {
  await withClients(opts, async (aws) => {
    const holder = await readLock(aws, opts.project);
    // By id when there is one to see: a lock taken after this read is not broken unseen.
    await releaseLock(aws, opts.project, holder);
    process.stdout.write(
      holder
        ? `released ${lockName(opts.project)}, held by ${describeHolder(holder)}\n`
        : `unlocked: ${opts.project}\n`,
    );
  });
}
