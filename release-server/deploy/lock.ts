// One deploy per project at a time, held in AWS so it works across hosts (Kamal-style: holder,
// command and time recorded). The lock is a launch template named asg-release-lock.<project>:
// EC2 refuses a second template of the same name, so creating it is an atomic test-and-set, and
// its tags say who holds it. Needs only ec2:CreateLaunchTemplate, DescribeLaunchTemplates and
// DeleteLaunchTemplate. A dead holder's lock is deleted by its launch template id, never by name: a
// name may already belong to the lock another contender took in its place.
import {
  CreateLaunchTemplateCommand,
  DeleteLaunchTemplateCommand,
  DescribeLaunchTemplatesCommand,
} from "@aws-sdk/client-ec2";
import { hostname } from "node:os";
import { awsSend } from "#shared/aws/call.js";
import type { AwsClients } from "#shared/aws/clients.js";
import { tagMap } from "#shared/aws/tags.js";
import { AsgReleaseError } from "#shared/errors.js";
import { systemClock, type Clock } from "#shared/poll.js";
import { isAlive } from "#shared/proc/alive.js";

export interface LockHolder {
  host: string;
  pid: number;
  command: string;
  since: string;
}

const TAG = {
  host: "asg-release:lock:host",
  pid: "asg-release:lock:pid",
  command: "asg-release:lock:command",
  since: "asg-release:lock:since",
};

/** A holder as read from AWS, with the id of the launch template that is its lock. */
export interface HeldLock extends LockHolder {
  id: string;
}

export const lockName = (project: string): string => `asg-release-lock.${project}`;

export function currentHolder(command: string, now: Date = new Date()): LockHolder {
  return { host: hostname(), pid: process.pid, command, since: now.toISOString() };
}

export async function readLock(aws: AwsClients, project: string): Promise<HeldLock | undefined> {
  const out = await awsSend(
    aws.ec2,
    new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [lockName(project)] }),
    { lock: lockName(project) },
    (code) => /NotFound/.test(code),
  );
  const t = out?.LaunchTemplates?.[0];
  if (!t) return undefined;
  const tags = tagMap(t.Tags);
  const tag = (k: string) => tags[k] ?? "";
  return {
    id: t.LaunchTemplateId ?? "",
    host: tag(TAG.host),
    pid: Number(tag(TAG.pid)),
    command: tag(TAG.command),
    since: tag(TAG.since) || (t.CreateTime?.toISOString() ?? ""),
  };
}

/** Creates the lock; resolves its launch template id, or undefined when it exists already. */
async function tryCreate(aws: AwsClients, project: string, me: LockHolder): Promise<string | undefined> {
  const out = await awsSend(
    aws.ec2,
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: lockName(project),
      VersionDescription: `deploy lock of ${project}: not for launching instances`,
      // EC2 requires some launch data; this one launches nothing useful on purpose.
      LaunchTemplateData: { DisableApiTermination: false },
      TagSpecifications: [
        {
          ResourceType: "launch-template",
          Tags: [
            { Key: TAG.host, Value: me.host },
            { Key: TAG.pid, Value: String(me.pid) },
            { Key: TAG.command, Value: me.command.slice(0, 256) },
            { Key: TAG.since, Value: me.since },
          ],
        },
      ],
    }),
    { lock: lockName(project) },
    (code) => /AlreadyExists/.test(code),
  );
  return out?.LaunchTemplate?.LaunchTemplateId;
}

export function describeHolder(h: LockHolder): string {
  return `${h.host} pid ${h.pid} since ${h.since} (${h.command})`;
}

/** A deploy on this host that died (kill -9): its lock is stale by construction. */
function isStale(holder: LockHolder, me: LockHolder): boolean {
  return holder.host === me.host && Number.isInteger(holder.pid) && !isAlive(holder.pid);
}

/**
 * Deletes the lock when its holder is a process of this host that is gone, for a run that has
 * nothing to do and so takes no lock; returns that holder.
 */
export async function breakStaleLock(
  aws: AwsClients,
  project: string,
  me: LockHolder,
): Promise<HeldLock | undefined> {
  const holder = await readLock(aws, project);
  if (!holder || !isStale(holder, me)) return undefined;
  return (await releaseLock(aws, project, holder)) ? holder : undefined;
}

/** How long past --lock-wait an existing lock may stay out of describes before giving up. */
const UNREADABLE_GRACE_MS = 10_000;
const UNREADABLE_PAUSE_MS = 500;

export interface AcquireOptions {
  waitSeconds: number;
  /** How to break the lock, for the error message. */
  breakCommand: string;
  clock?: Clock;
  pollMs?: number;
  onWait?: (holder: LockHolder) => void;
  /** Told whose dead lock was deleted, and so taken over. */
  onTakeover?: (stale: LockHolder) => void;
}

/**
 * Takes the lock, waiting up to `waitSeconds`; a holder on this host whose process is gone is broken.
 * Resolves the lock's launch template id.
 */
export async function acquireLock(
  aws: AwsClients,
  project: string,
  me: LockHolder,
  opts: AcquireOptions,
): Promise<string> {
  const clock = opts.clock ?? systemClock;
  const deadline = clock.now() + opts.waitSeconds * 1000;
  let tookOver = false;
  for (;;) {
    const id = await tryCreate(aws, project, me);
    if (id) {
      if (tookOver) await confirmHeld(aws, project, id, opts.breakCommand);
      return id;
    }
    const holder = await readLock(aws, project);
    if (!holder) {
      // Released meanwhile, or made so recently that describes do not show it yet (EC2 is eventually
      // consistent): try again after a pause, for up to UNREADABLE_GRACE_MS past the deadline.
      if (clock.now() >= deadline + UNREADABLE_GRACE_MS)
        throw new AsgReleaseError(
          `deploy lock of ${project} exists but DescribeLaunchTemplates does not show it; try again, or break the lock: ${opts.breakCommand}`,
          { code: "LockHeld", context: { project } },
        );
      await clock.sleep(UNREADABLE_PAUSE_MS);
      continue;
    }
    if (isStale(holder, me)) {
      // By its id: if another run broke it and took the name meanwhile, that lock has another id
      // and stays. Then create again, which only one contender can do.
      if (await releaseLock(aws, project, holder)) opts.onTakeover?.(holder);
      tookOver = true;
      continue;
    }
    if (clock.now() >= deadline) {
      throw new AsgReleaseError(
        `deploy lock of ${project} is held by ${describeHolder(holder)}; wait for it (--lock-wait SECONDS), or if that deploy is gone, break the lock: ${opts.breakCommand}`,
        { code: "LockHeld", context: { project } },
      );
    }
    opts.onWait?.(holder);
    await clock.sleep(Math.min(opts.pollMs ?? 2000, Math.max(0, deadline - clock.now())));
  }
}

/**
 * Deletes the lock: `held`'s, by its launch template id (a lock taken since under the same name has
 * another id and stays), or with no `held`, whatever lock has the name. True when one was deleted.
 */
export async function releaseLock(aws: AwsClients, project: string, held?: HeldLock): Promise<boolean> {
  const out = await awsSend(
    aws.ec2,
    new DeleteLaunchTemplateCommand(
      held?.id ? { LaunchTemplateId: held.id } : { LaunchTemplateName: lockName(project) },
    ),
    { lock: lockName(project), ...(held?.id ? { id: held.id } : {}) },
    (code) => /NotFound/.test(code),
  );
  return out !== undefined;
}

/**
 * After a takeover, the lock this run created must be the one the name shows. A describe that does
 * not show it yet (EC2 is eventually consistent) shows nobody else either.
 */
async function confirmHeld(
  aws: AwsClients,
  project: string,
  id: string,
  breakCommand: string,
): Promise<void> {
  const holder = await readLock(aws, project);
  if (holder && holder.id !== id) {
    await releaseOwnLock(aws, project, id);
    throw new AsgReleaseError(
      `deploy lock of ${project} is held by ${describeHolder(holder)}; try again, or break the lock: ${breakCommand}`,
      { code: "LockHeld", context: { project } },
    );
  }
}

/**
 * Deletes the lock this run created, by its launch template id: not by reading it first, which a
 * describe that does not show the new template yet (EC2 is eventually consistent) would skip; and
 * a lock someone broke and took meanwhile has another id, so it stays.
 */
async function releaseOwnLock(aws: AwsClients, project: string, id: string): Promise<void> {
  await awsSend(
    aws.ec2,
    new DeleteLaunchTemplateCommand({ LaunchTemplateId: id }),
    { lock: lockName(project), id },
    (code) => /NotFound/.test(code),
  );
}

export async function withLock<T>(
  aws: AwsClients,
  project: string,
  me: LockHolder,
  opts: AcquireOptions,
  fn: () => Promise<T>,
): Promise<T> {
  const id = await acquireLock(aws, project, me, opts);
  let result: T;
  try {
    result = await fn();
  } catch (err) {
    // The run's own failure is what the operator needs; a failing release must not hide it.
    await releaseOwnLock(aws, project, id).catch(() => undefined);
    throw err;
  }
  await releaseOwnLock(aws, project, id);
  return result;
}
