// One scheduled housekeeping run: retention, the volume sweep and known_hosts pruning, each step
// and each item on its own. A snapshot EC2 refuses to delete, a describe that keeps failing or an
// unreadable file fails that item or step only: it is logged, counted, reported in /v1/status, and
// tried again next run, while everything else is still cleaned up.
import type { AwsClients } from "#shared/aws/clients.js";
import { messageOf } from "#shared/errors.js";
import type { Logger } from "#shared/log.js";
import { applyRetention, pruneKnownHosts, sweepVolumes, type ItemFailed } from "./housekeeping.js";

export type HousekeepingStep = "retention" | "sweep" | "known-hosts";

export interface HousekeepingFailure {
  step: HousekeepingStep;
  /** The snapshot or volume id, when one item failed; absent when the whole step did. */
  item?: string;
  error: string;
}

export interface HousekeepingRun {
  at: string;
  snapshotsDeleted: string[];
  volumesDeleted: string[];
  hostsForgotten: string[];
  failures: HousekeepingFailure[];
}

export interface HousekeepingOptions {
  project: string;
  keep: number;
  currentSnapshotId?: string;
  knownHostsFile: string;
}

export async function runHousekeeping(
  aws: AwsClients,
  log: Logger,
  o: HousekeepingOptions,
  now: () => Date = () => new Date(),
): Promise<HousekeepingRun> {
  const run: HousekeepingRun = {
    at: now().toISOString(),
    snapshotsDeleted: [],
    volumesDeleted: [],
    hostsForgotten: [],
    failures: [],
  };
  const fail = (step: HousekeepingStep, err: unknown, item?: string) => {
    const failure = { step, ...(item ? { item } : {}), error: messageOf(err) };
    run.failures.push(failure);
    log.warn(
      failure,
      item ? `housekeeping: ${item} not cleaned up; next run retries` : "housekeeping step failed",
    );
  };
  const itemFailed =
    (step: HousekeepingStep): ItemFailed =>
    (item, err) =>
      fail(step, err, item);
  const step = async (name: HousekeepingStep, body: () => Promise<void>) => {
    try {
      await body();
    } catch (err) {
      fail(name, err);
    }
  };
  await step("retention", async () => {
    const deleted = await applyRetention(
      aws,
      log,
      { project: o.project, keep: o.keep, currentSnapshotId: o.currentSnapshotId },
      itemFailed("retention"),
    );
    run.snapshotsDeleted = deleted.map((d) => d.snapshotId);
  });
  await step("sweep", async () => {
    const deleted = await sweepVolumes(aws, log, o.project, itemFailed("sweep"));
    run.volumesDeleted = deleted.map((d) => d.volumeId);
  });
  await step("known-hosts", async () => {
    run.hostsForgotten = await pruneKnownHosts(aws, o.knownHostsFile);
  });
  return run;
}
