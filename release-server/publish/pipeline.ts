// The publisher: runs a publish through the journal's steps, finishing or abandoning an interrupted
// one first (recovery.ts decides, this executes), under the host's publish lock. Also the scheduled
// reconcile of the current release, which retries the last publish's stragglers.
import { mkdir } from "node:fs/promises";
import { AsgReleaseError, messageOf } from "#shared/errors.js";
import { field, logOp } from "#shared/log.js";
import { writeFileAtomic } from "#shared/fs/atomic-write.js";
import type { FanoutContext } from "./fanout.js";
import {
  advance,
  isTerminal,
  readJournal,
  rewindToSynced,
  startJournal,
  stepIndex,
  STEPS,
  writeJournal,
  type Journal,
  type Step,
} from "./journal.js";
import { listMembers } from "./list-members.js";
import { describeHolder, withLock, type LockOptions } from "./lock.js";
import { reconcile, type ReconcileResult } from "./reconcile.js";
import { planRecovery, type SnapshotState } from "./plan/recovery.js";
import { noProgress, type Progress, type PublishReport } from "./report.js";
import { compileExcludes, SYSTEM_EXCLUDES } from "./excludes.js";
import { planShrink } from "./plan/shrink.js";
import type { TargetProof } from "./target-proof.js";
import { treeSize } from "./tree-size.js";
import { releaseVolumeIdentity } from "./volume-identity.js";
import { assertMounted } from "./volume-sync.js";
import { journalPath, lockPath, statusPath, type PublishDeps, type PublishSettings } from "./settings.js";
import { deleteSnapshot, snapshotsOfRelease, thaw } from "./snapshot.js";
import { stepAfter, type StepContext } from "./steps.js";
import { planPin, type RollbackPin } from "./plan/pin.js";
import type { Streak } from "./plan/unreachable.js";
import { clearPin, readPin, sourceTreeHash, writePin } from "./rollback-pin.js";
import { rollbackSnapshot, withRollbackSource } from "./rollback-source.js";

export interface PublishOptions {
  /** Let a tree through that the shrink guard refuses: this publish only. */
  allowShrink?: boolean;
  /**
   * Publish the tree of this older release again, as a signed rollback (`asg-release publish
   * --rollback-to`), instead of the watched tree.
   */
  rollbackTo?: string;
  /** An operator asked for this publish: it goes ahead even while a rollback pins the fleet. */
  explicit?: boolean;
}

/** What one publish run got to, for its report (also when it throws half-way). */
interface Outcome {
  journal?: Journal;
  ctx?: StepContext;
  /** Skipped: a rollback pins the fleet (plan/pin.ts). */
  pinned?: string;
}

export class Publisher {
  /** Aborted by supersedeReconcile(): the running publish's reconcile stops waiting. */
  private supersede = new AbortController();
  /** Members' failed-connection streaks, carried from one publish or reconcile to the next. */
  private readonly streaks = new Map<string, Streak>();

  constructor(
    private readonly deps: PublishDeps,
    private readonly s: PublishSettings,
    private readonly volumeId: () => Promise<string>,
    private readonly command = "asg-release-server",
  ) {}

  /**
   * One publish: finishes an interrupted one first, then syncs, snapshots, publishes, pushes,
   * reconciles. A tree that fails the shrink guard is refused before anything is written, unless
   * `allowShrink` (an operator's `asg-release publish --allow-shrink`, never the watcher). With
   * `rollbackTo`, the tree is that older release's (rollback-source.ts) and the pointer is marked
   * as a rollback; afterwards automatic publishes of the unchanged watched tree are held back.
   */
  async publish(
    progress: Progress = noProgress,
    signal?: AbortSignal,
    opts: PublishOptions = {},
  ): Promise<PublishReport> {
    const started = this.deps.now();
    const t0 = performance.now();
    const out: Outcome = {};
    this.supersede = new AbortController();
    try {
      await this.prepare();
      await withLock(
        lockPath(this.s),
        this.command,
        async () => {
          await this.recover(progress, signal);
          if (opts.rollbackTo) return this.rollback(opts.rollbackTo, started, progress, out, signal);
          const pin = await readPin(this.s.stateDir);
          const decision = planPin({
            pin,
            explicit: opts.explicit ?? false,
            ...(pin && !opts.explicit ? { sourceTreeHash: await sourceTreeHash(this.s) } : {}),
          });
          if (!decision.publish) {
            out.pinned = decision.reason;
            this.deps.log.info({ rolledBackTo: pin?.rolledBackTo }, decision.reason);
            return;
          }
          await this.guardShrink(progress, opts.allowShrink ?? false);
          await this.runPublish(this.s, startJournal(this.s.mountPath, started), progress, out, signal);
          if (decision.clearPin && out.journal?.step === "reconciled") {
            await clearPin(this.s.stateDir);
            this.deps.log.info(
              { rolledBackTo: pin?.rolledBackTo },
              "the rollback pin ended: published forward",
            );
          }
        },
        this.lockOptions(progress),
      );
      const report = {
        ...this.report(out.journal, out.ctx?.reconciled, started, t0),
        ...(out.pinned ? { result: "unchanged" as const, pinned: out.pinned } : {}),
      };
      await this.finish(report);
      return report;
    } catch (err) {
      this.deps.log.error({ err, [field.releaseId]: out.journal?.releaseId }, "publish failed");
      const report = {
        ...this.report(out.journal, out.ctx?.reconciled, started, t0),
        result: "failed" as const,
        error: messageOf(err),
      };
      await this.finish(report);
      return report;
    }
  }

  /** The pipeline from `journal` (a new one) with settings `s`; `out` follows how far it got. */
  private async runPublish(
    s: PublishSettings,
    journal: Journal,
    progress: Progress,
    out: Outcome,
    signal?: AbortSignal,
  ): Promise<void> {
    out.journal = journal;
    await writeJournal(journalPath(this.s), journal);
    out.ctx = await this.context(progress, signal, s);
    out.journal = await this.runFrom(journal, out.ctx, (j) => {
      out.journal = j;
    });
  }

  /**
   * A rollback: the older release's tree, from a temporary volume, through the normal pipeline.
   * The pin is written before the pointer can change, so a crash past that point cannot let the
   * watched tree undo the rollback; a rollback that fails before its tree is on the release volume
   * (or is abandoned) puts the pin back as it was.
   */
  private async rollback(
    releaseId: string,
    started: Date,
    progress: Progress,
    out: Outcome,
    signal?: AbortSignal,
  ): Promise<void> {
    const host = this.deps.releaseHost;
    if (!host)
      throw new AsgReleaseError("this publisher knows no release host: it cannot make a rollback", {
        code: "RollbackRefused",
      });
    const snapshot = await rollbackSnapshot(this.deps.aws.ec2, this.s.project, releaseId);
    const message = `rolling back to ${releaseId}: publishing the tree of snapshot ${snapshot.SnapshotId} again`;
    this.deps.log.info({ [field.releaseId]: releaseId, [field.snapshotId]: snapshot.SnapshotId }, message);
    progress({ type: "step", step: "recovered", status: "done", message });
    const previous = await readPin(this.s.stateDir);
    const pin: RollbackPin = {
      rolledBackTo: releaseId,
      sourceTreeHash: await sourceTreeHash(this.s),
      at: started.toISOString(),
    };
    try {
      await withRollbackSource(
        {
          aws: this.deps.aws,
          run: this.deps.run,
          log: this.deps.log,
          host,
          project: this.s.project,
          stateDir: this.s.stateDir,
          releaseId,
          snapshot,
        },
        async (path) => {
          await writePin(this.s.stateDir, pin);
          // Exactly the older tree: it carries no excluded files, and today's excludes must not trim it.
          const s = { ...this.s, source: path, excludes: [] };
          await this.runPublish(
            s,
            { ...startJournal(this.s.mountPath, started), rollback: true },
            progress,
            out,
            signal,
          );
        },
      );
    } catch (err) {
      // Resumable from synced on: the next publish's recovery completes the rollback, so the pin stays.
      const step = (await readJournal(journalPath(this.s)).catch(() => undefined))?.step;
      if (!out.journal || !step || step === "started" || step === "abandoned") {
        // Nothing was published: the pin (an earlier rollback's, if any) is what it was.
        if (previous) await writePin(this.s.stateDir, previous);
        else await clearPin(this.s.stateDir);
      }
      throw err;
    }
    if (out.journal?.releaseId) await writePin(this.s.stateDir, { ...pin, releaseId: out.journal.releaseId });
  }

  /**
   * A newer publish is waiting: the running publish stops waiting for its stragglers after the
   * reconcile pass under way and reports them. Its pointer is already out; the newer publish pushes
   * every member again, and the scheduled reconcile retries whoever is still behind. A publish that
   * has not reached its reconcile yet still pushes to every member and checks them once. With no
   * publish running, nothing happens: each publish starts with its own waiting.
   */
  supersedeReconcile(): void {
    this.supersede.abort();
  }

  /** After a restart: complete or abandon what the journal says was in progress. */
  async recover(progress: Progress = noProgress, signal?: AbortSignal): Promise<Journal | undefined> {
    let j = await readJournal(journalPath(this.s));
    if (!j || isTerminal(j.step)) return j;
    const snapshots = j.releaseId
      ? (await snapshotsOfRelease(this.deps.aws.ec2, this.s.project, j.releaseId)).map((x) => ({
          snapshotId: x.SnapshotId ?? "",
          state: (x.State ?? "error") as SnapshotState,
        }))
      : [];
    const actions = planRecovery(j, { snapshots, pointer: this.deps.pointers.current() });
    this.deps.log.info(
      { step: j.step, [field.releaseId]: j.releaseId, actions },
      "recovering an interrupted publish",
    );
    const path = journalPath(this.s);
    for (const a of actions) {
      if (a.kind === "unfreeze") await thaw(this.deps.run, a.mountPath);
      else if (a.kind === "delete-snapshot")
        await deleteSnapshot(this.deps.aws.ec2, a.snapshotId, this.deps.log, a.reason);
      else if (a.kind === "record-snapshot") {
        j = advance(j, "snapshot-started", { snapshotId: a.snapshotId }, this.deps.now());
        await writeJournal(path, j);
      } else if (a.kind === "abandon") {
        j = advance(j, "abandoned", { reason: a.reason }, this.deps.now());
        await writeJournal(path, j);
      } else {
        if (a.after === "synced" && j.step !== "synced") {
          j = rewindToSynced(j, this.deps.now());
          await writeJournal(path, j);
        }
        progress({
          type: "step",
          step: "recovered",
          status: "done",
          message: `resuming ${j.releaseId} after ${a.after}`,
        });
        j = await this.runFrom(j, await this.context(progress, signal));
      }
    }
    return j;
  }

  /** The scheduled reconcile: every member on the current release, stragglers pushed again. */
  async reconcileCurrent(
    deadlineMs: number,
    progress: Progress = noProgress,
    signal?: AbortSignal,
  ): Promise<ReconcileResult | undefined> {
    const current = this.deps.pointers.current();
    if (!current) return undefined;
    await this.prepare();
    try {
      return await withLock(
        lockPath(this.s),
        `${this.command} reconcile`,
        () => this.reconcileNow(current.releaseId, deadlineMs, progress, signal),
        this.lockOptions(progress),
      );
    } catch (err) {
      // A publish in another process holds the volume; it reconciles on its own.
      if (err instanceof AsgReleaseError && err.code === "LockHeld") return undefined;
      throw err;
    }
  }

  private async reconcileNow(
    releaseId: string,
    deadlineMs: number,
    progress: Progress,
    signal?: AbortSignal,
  ): Promise<ReconcileResult> {
    const result = await reconcile((await this.context(progress, signal)).fanout, {
      releaseId,
      listMembers: () => listMembers(this.deps.aws, this.s.targets),
      deadlineMs,
      intervalMs: this.s.reconcileIntervalMs,
      unreachable: this.s.unreachable,
      streaks: this.streaks,
      clock: this.deps.clock,
    });
    const stragglers = result.members.filter((m) => m.status === "straggler").length;
    this.deps.metrics?.setFleet(result.members.length, stragglers);
    return result;
  }

  /** What each member must show before it is written: the release volume's filesystem, as read now. */
  private async targetProof(): Promise<TargetProof> {
    // Unmounted, the path would show the root filesystem's identity (and an empty tree to push).
    await assertMounted(this.s.mountPath);
    const fs = await releaseVolumeIdentity(this.deps.run, this.s.mountPath);
    return { project: this.s.project, uuid: fs.uuid, label: fs.label };
  }

  /** The shrink guard, on the tree as it is now against the release volume's (plan/shrink.ts). */
  private async guardShrink(progress: Progress, allowShrink: boolean): Promise<void> {
    const [before, after] = await Promise.all([
      treeSize(this.s.mountPath, compileExcludes(SYSTEM_EXCLUDES)),
      treeSize(this.s.source, compileExcludes([...SYSTEM_EXCLUDES, ...this.s.excludes])),
    ]);
    const decision = planShrink({ before, after, maxShrinkPercent: this.s.maxShrinkPercent, allowShrink });
    if (!decision.ok) {
      throw new AsgReleaseError(
        `refusing to publish ${this.s.source}: ${decision.problem}; check the tree, or publish it anyway, once: asg-release publish --allow-shrink`,
        {
          code: "ShrinkRefused",
          context: {
            filesBefore: before.files,
            filesAfter: after.files,
            bytesBefore: before.bytes,
            bytesAfter: after.bytes,
          },
        },
      );
    }
    if (decision.overridden) {
      const message = `publishing despite the shrink guard (--allow-shrink): ${decision.overridden}`;
      this.deps.log.warn({ before, after }, message);
      progress({ type: "step", step: "recovered", status: "done", message });
    }
  }

  /** A dead publisher's lock taken over is said: whose it was, and why it could be taken. */
  private lockOptions(progress: Progress): LockOptions {
    return {
      onTakeover: (stale) => {
        const message = `took over the publish lock of ${describeHolder(stale)}: that process is gone`;
        this.deps.log.warn({ pid: stale.pid, command: stale.command, since: stale.since }, message);
        progress({ type: "step", step: "recovered", status: "done", message });
      },
    };
  }

  /** The state directory, and the ssh connection sockets' directory (private: they carry sessions). */
  private async prepare(): Promise<void> {
    await mkdir(this.s.stateDir, { recursive: true, mode: 0o700 });
    if (this.s.ssh.controlDir) await mkdir(this.s.ssh.controlDir, { recursive: true, mode: 0o700 });
  }

  private async runFrom(
    journal: Journal,
    ctx: StepContext,
    onStep: (j: Journal) => void = () => {},
  ): Promise<Journal> {
    let j = journal;
    while (!isTerminal(j.step)) {
      const step = j.step as Exclude<Step, "reconciled">;
      const next = STEPS[stepIndex(step) + 1] as Step;
      ctx.progress({ type: "step", step: next, status: "start" });
      const after = await logOp(this.deps.log, `publish ${next}`, () => stepAfter[step](j, ctx), {
        [field.step]: next,
        [field.project]: this.s.project,
        [field.releaseId]: j.releaseId,
      });
      // Steps jumped over (an unchanged tree needs no snapshot) are shown as skipped.
      if (!isTerminal(after.step) && after.step !== next) {
        ctx.progress({ type: "step", step: next, status: "done" });
        for (let i = stepIndex(next) + 1; i < stepIndex(after.step as Step); i++) {
          ctx.progress({ type: "step", step: STEPS[i] as Step, status: "skip" });
        }
      }
      j = after;
      onStep(j);
    }
    return j;
  }

  private async context(
    progress: Progress,
    signal?: AbortSignal,
    s: PublishSettings = this.s,
  ): Promise<StepContext> {
    const fanout: FanoutContext = {
      run: this.deps.run,
      source: this.s.mountPath,
      remote: {
        ssh: this.s.ssh,
        dest: this.s.dest,
        requireMount: this.s.requireMount,
        ...(this.s.requireMount ? { proof: await this.targetProof() } : {}),
        ioTimeoutSeconds: Math.max(5, Math.round(this.s.instanceTimeoutMs / 2000)),
      },
      concurrency: this.s.concurrency,
      instanceTimeoutMs: this.s.instanceTimeoutMs,
      log: this.deps.log,
      metrics: this.deps.metrics,
      progress,
      signal,
    };
    return {
      deps: this.deps,
      s,
      progress,
      volumeId: this.volumeId,
      fanout,
      pushErrors: new Map(),
      pushedStates: new Map(),
      signal,
      supersede: this.supersede.signal,
      streaks: this.streaks,
    };
  }

  private report(
    j: Journal | undefined,
    reconciled: ReconcileResult | undefined,
    started: Date,
    t0: number,
  ): PublishReport {
    const abandoned = j?.step === "abandoned";
    return {
      result: abandoned ? "failed" : j?.unchanged ? "unchanged" : "published",
      ...(abandoned ? { error: `publish abandoned: ${j?.reason ?? "no reason recorded"}` } : {}),
      ...(j?.releaseId ? { releaseId: j.releaseId } : {}),
      ...(j?.snapshotId ? { snapshotId: j.snapshotId } : {}),
      ...(j?.treeHash ? { treeHash: j.treeHash } : {}),
      startedAt: started.toISOString(),
      durationMs: Math.round(performance.now() - t0),
      members: reconciled?.members ?? [],
      ...(reconciled?.superseded ? { superseded: true } : {}),
    };
  }

  private async finish(report: PublishReport): Promise<void> {
    // One held back by a rollback pin published nothing and is no publish to count.
    if (!report.pinned)
      this.deps.metrics?.recordPublish(report.result, report.durationMs / 1000, this.deps.now());
    await writeFileAtomic(statusPath(this.s), `${JSON.stringify(report, null, 2)}\n`, 0o644).catch(
      () => undefined,
    );
  }
}
