// The publish pipeline's steps, one handler per journal step: each does its work, then records
// the next step in the journal (docs/design.md#the-release-path, in that order).
import { AsgReleaseError, messageOf } from "#shared/errors.js";
import { field } from "#shared/log.js";
import { need } from "#shared/need.js";
import { advance, writeJournal, type Journal, type Step } from "./journal.js";
import type { MemberState } from "./plan/fanout.js";
import type { Streak } from "./plan/unreachable.js";
import { listMembers } from "./list-members.js";
import { pushMembers, type FanoutContext } from "./fanout.js";
import { reconcile, type ReconcileResult } from "./reconcile.js";
import type { Progress } from "./report.js";
import { journalPath, type PublishDeps, type PublishSettings } from "./settings.js";
import {
  deleteSnapshot,
  describeSnapshot,
  freezeAndSnapshot,
  verifyReleaseSnapshot,
  waitSnapshotCompleted,
} from "./snapshot.js";
import { syncVolume } from "./volume-sync.js";

export interface StepContext {
  deps: PublishDeps;
  s: PublishSettings;
  progress: Progress;
  volumeId: () => Promise<string>;
  fanout: FanoutContext;
  /** Push errors of this run's fan-out, for the stragglers' reasons. */
  pushErrors: Map<string, string>;
  /** What this run's pushes read back from each instance. */
  pushedStates: Map<string, MemberState>;
  reconciled?: ReconcileResult;
  signal?: AbortSignal;
  /** Failed-connection streaks carried from run to run (reconcile.ts). */
  streaks?: Map<string, Streak>;
  /** Aborted when a newer publish waits: the reconcile step reports instead of waiting (reconcile.ts). */
  supersede?: AbortSignal;
}

type Handler = (j: Journal, c: StepContext) => Promise<Journal>;

/** Runs the step after `j.step` and returns the journal as written after it. */
export const stepAfter: Record<Exclude<Step, "reconciled">, Handler> = {
  started: async (j, c) => {
    const { manifest, unchanged } = await syncVolume(
      c.deps.run,
      c.s,
      new Date(j.startedAt),
      c.deps.pointers.current(),
    );
    const fields = { releaseId: manifest.releaseId, treeHash: manifest.treeHash, files: manifest.files };
    if (!unchanged) return record(c, advance(j, "synced", fields, c.deps.now()));
    // Nothing new to snapshot or publish: go straight to checking the members.
    const current = c.deps.pointers.current();
    return record(
      c,
      advance(
        j,
        "pointer-published",
        { ...fields, unchanged, snapshotId: current?.snapshotId },
        c.deps.now(),
      ),
    );
  },
  synced: async (j, c) => {
    const volumeId = await c.volumeId();
    // Journaled before the freeze: a kill -9 while frozen is then known to the restart, which thaws.
    const frozen = await record(c, advance(j, "frozen", {}, c.deps.now()));
    const snapshotId = await freezeAndSnapshot(c.deps.run, c.deps.aws.ec2, {
      volumeId,
      mountPath: c.s.mountPath,
      project: c.s.project,
      releaseId: need(j.releaseId, "the publish journal's releaseId"),
      treeHash: need(j.treeHash, "the publish journal's treeHash"),
    });
    c.deps.log.info({ [field.snapshotId]: snapshotId, [field.volumeId]: volumeId }, "snapshot started");
    return record(c, advance(frozen, "snapshot-started", { snapshotId }, c.deps.now()));
  },
  frozen: async () => {
    throw new AsgReleaseError("publish journal at frozen: recovery must thaw and re-plan first");
  },
  "snapshot-started": async (j, c) => {
    const snapshotId = need(j.snapshotId, "the publish journal's snapshotId");
    try {
      await waitSnapshotCompleted(c.deps.aws.ec2, snapshotId, {
        maxWaitMs: c.s.snapshotTimeoutMs,
        clock: c.deps.clock,
        signal: c.signal,
        onProgress: (p) =>
          c.progress({ type: "step", step: "snapshot-completed", status: "start", message: p }),
      });
    } catch (err) {
      if (err instanceof AsgReleaseError && err.code === "Aborted") throw err;
      // A snapshot that failed or never completes is never published: delete it, end this publish.
      await deleteSnapshot(c.deps.aws.ec2, snapshotId, c.deps.log, "did not complete");
      await record(c, advance(j, "abandoned", { reason: messageOf(err) }, c.deps.now()));
      throw err;
    }
    return record(c, advance(j, "snapshot-completed", {}, c.deps.now()));
  },
  "snapshot-completed": async (j, c) => {
    const snapshotId = need(j.snapshotId, "the publish journal's snapshotId");
    const want = {
      snapshotId,
      project: c.s.project,
      releaseId: need(j.releaseId, "the publish journal's releaseId"),
      treeHash: need(j.treeHash, "the publish journal's treeHash"),
    };
    verifyReleaseSnapshot(await describeSnapshot(c.deps.aws.ec2, snapshotId), want);
    await c.deps.pointers.publish({ ...want, time: j.startedAt, ...(j.rollback ? { rollback: true } : {}) });
    c.deps.metrics?.setCurrent(want.releaseId, snapshotId);
    return record(c, advance(j, "pointer-published", {}, c.deps.now()));
  },
  "pointer-published": async (j, c) => {
    if (!j.unchanged) {
      const members = await listMembers(c.deps.aws, c.s.targets);
      for (const [id, r] of await pushMembers(c.fanout, members)) {
        if (!r.ok) c.pushErrors.set(id, r.message);
        if (r.state) c.pushedStates.set(id, r.state);
      }
    }
    return record(c, advance(j, "fanned-out", {}, c.deps.now()));
  },
  "fanned-out": async (j, c) => {
    c.reconciled = await reconcile(c.fanout, {
      releaseId: need(j.releaseId, "the publish journal's releaseId"),
      listMembers: () => listMembers(c.deps.aws, c.s.targets),
      deadlineMs: c.s.reconcileDeadlineMs,
      intervalMs: c.s.reconcileIntervalMs,
      pushErrors: c.pushErrors,
      known: c.pushedStates,
      unreachable: c.s.unreachable,
      clock: c.deps.clock,
      ...(c.supersede ? { stop: c.supersede } : {}),
      ...(c.streaks ? { streaks: c.streaks } : {}),
    });
    const stragglers = c.reconciled.members.filter((m) => m.status === "straggler").length;
    c.deps.metrics?.setFleet(c.reconciled.members.length, stragglers);
    if (c.reconciled.superseded)
      c.deps.log.info(
        { [field.releaseId]: j.releaseId, stragglers },
        "reconcile cut short: a newer publish supersedes it; the stragglers are reported, and pushed by that publish and the scheduled reconcile",
      );
    return record(c, advance(j, "reconciled", {}, c.deps.now()));
  },
};

async function record(c: StepContext, j: Journal): Promise<Journal> {
  await writeJournal(journalPath(c.s), j);
  if (j.step !== "abandoned") c.progress({ type: "step", step: j.step, status: "done" });
  return j;
}
