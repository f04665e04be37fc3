// The release server daemon: the API (pointer, status, metrics, publish), the watcher feeding the
// publish scheduler, a scheduled reconcile that retries stragglers, and retention plus sweeping.
// Publishes, reconciles and housekeeping never overlap: they share one queue (and the lock file).
// A publish about to start cuts a running scheduled reconcile short: it reconciles anyway. A publish
// queued behind a running one cuts that one's reconcile short too: stragglers are reported, pushed
// again by the newer publish and retried by the scheduled reconcile, never waited on by the queue.
// After a rollback, the watcher's, the start-up and the retry publishes hold back while the watched
// tree is the one the rollback rolled away from (publish/plan/pin.ts); an operator's publish does not.
import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { createAwsClients } from "#shared/aws/clients.js";
import { messageOf } from "#shared/errors.js";
import type { Logger } from "#shared/log.js";
import { sshExitMasterArgv } from "#shared/proc/argv/ssh.js";
import { run } from "#shared/proc/run.js";
import { readTokenFile } from "./api/auth.js";
import { Metrics } from "./api/metrics.js";
import { PointerStore } from "./api/pointer-store.js";
import { S3Pointer } from "./api/s3-pointer.js";
import { readTls, startApi, type ApiServer } from "./api/server.js";
import { StatusBoard } from "./api/status.js";
import { StepClock } from "./api/status-page/history.js";
import { statusView } from "./api/status-page/view.js";
import { DEFAULT_RELEASE_DEVICE, type ServerSettings } from "./config.js";
import { readIdentity } from "#shared/aws/imds.js";
import { compileExcludes } from "./publish/excludes.js";
import { runHousekeeping } from "./publish/housekeeping-run.js";
import { Publisher } from "./publish/pipeline.js";
import { pinnedMessage } from "./publish/plan/pin.js";
import { readPin } from "./publish/rollback-pin.js";
import { releaseLeftSources, rollbackDevice, type ReleaseHostPort } from "./publish/rollback-source.js";
import { findDevice } from "./init/run.js";
import { releaseVolumeId } from "./publish/release-volume.js";
import { pointerPath } from "./publish/settings.js";
import { loadSigningKey } from "./signing-key.js";
import { PublishScheduler, realTimers } from "./watch/run-scheduler.js";
import { watchTree } from "./watch/watcher.js";

/** Ends the ssh connections the fan-out keeps open (ControlPersist), so none outlives the daemon. */
async function closeSharedConnections(dir: string | undefined): Promise<void> {
  if (!dir) return;
  const sockets = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    sockets.map((name) =>
      run(sshExitMasterArgv(join(dir, name)), { timeoutMs: 5000 }).catch(() => undefined),
    ),
  );
}

/** After a failed publish, try again this much later (the journal says where to resume). */
const RETRY_AFTER_FAILURE_MS = 30_000;

export interface Daemon {
  api: ApiServer;
  /** Resolves when the daemon has stopped. */
  stop(): Promise<void>;
}

export async function startDaemon(s: ServerSettings, log: Logger): Promise<Daemon> {
  const me = await readIdentity();
  const aws = createAwsClients({ region: me.region });
  await mkdir(s.publish.stateDir, { recursive: true, mode: 0o700 });
  const token = s.config.token_file ? await readTokenFile(s.config.token_file) : undefined;
  const mirror = s.config.pointer_s3
    ? new S3Pointer(aws.s3, s.config.pointer_s3.bucket, s.config.pointer_s3.key)
    : undefined;
  const signingKey = await loadSigningKey(s.signingKey);
  if (!signingKey)
    log.warn(
      { file: s.signingKey.file },
      "no pointer signing key: pointers are served unsigned; `asg-release-server init` creates the key",
    );
  const pointers = new PointerStore(pointerPath(s.publish.stateDir), mirror, signingKey);
  const metrics = new Metrics();
  await pointers.load();
  const current = await pointers.ensureSigned();
  if (current) metrics.setCurrent(current.releaseId, current.snapshotId);
  let volumeId: string | undefined;
  const releaseHost: ReleaseHostPort = {
    instanceId: me.instanceId,
    availabilityZone: me.availabilityZone,
    device: rollbackDevice(s.config.release.device ?? DEFAULT_RELEASE_DEVICE),
    findDevice: (id, device) => findDevice(run, id, { byIdDir: "/dev/disk/by-id", device }),
  };
  const publisher = new Publisher(
    { aws, run, log, pointers, metrics, now: () => new Date(), releaseHost },
    s.publish,
    async () => (volumeId ??= await releaseVolumeId(aws.ec2, s.publish.project, me.instanceId)),
  );

  // One queue for everything that touches the release volume or the fleet.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  // A rollback killed half-way may have left its source mounted or attached here.
  await releaseLeftSources({
    aws,
    run,
    log,
    host: releaseHost,
    project: s.publish.project,
    stateDir: s.publish.stateDir,
  }).catch((err: unknown) =>
    log.warn(
      { err: messageOf(err) },
      "could not release a rollback's left-behind source; the next rollback tries again",
    ),
  );
  // The rollback pin as of the last publish (the publisher keeps the file), for /v1/status.
  let pin = await readPin(s.publish.stateDir);
  if (pin) log.info({ rolledBackTo: pin.rolledBackTo }, pinnedMessage(pin));
  const board = new StatusBoard(
    s.publish.project,
    () => pointers.current(),
    () => scheduler.isPublishing(),
    () => pin,
  );
  let retryTimer: NodeJS.Timeout | undefined;
  /** The scheduled reconcile running or queued, if any. */
  let reconciling: AbortController | undefined;
  const scheduler: PublishScheduler = new PublishScheduler(
    { debounceMs: s.debounceMs, maxWaitMs: s.maxWaitMs },
    (onEvent, opts) => {
      reconciling?.abort();
      return exclusive(async () => {
        const steps = new StepClock();
        const report = await publisher.publish(
          (e) => {
            steps.see(e);
            onEvent(e);
          },
          undefined,
          opts,
        );
        pin = await readPin(s.publish.stateDir);
        board.published(report, new Date(), steps.timings());
        log.info(
          { result: report.result, releaseId: report.releaseId, durationMs: report.durationMs },
          "publish finished",
        );
        if (report.result === "failed" && !retryTimer) {
          retryTimer = setTimeout(() => {
            retryTimer = undefined;
            void scheduler.request();
          }, RETRY_AFTER_FAILURE_MS);
        }
        return report;
      });
    },
    realTimers,
    // A publish waiting behind the running one: the running one stops waiting for its stragglers.
    () => publisher.supersedeReconcile(),
  );

  const api = await startApi(
    {
      pointers,
      metrics,
      token,
      guardStatus: s.guardStatus,
      status: () => board.report(),
      statusView: () => statusView(board.report()),
      requestPublish: (e, opts) => scheduler.request(e, opts),
      log,
    },
    {
      host: s.config.listen.address,
      port: s.config.listen.port,
      ...(s.config.listen.tls ? { tls: await readTls(s.config.listen.tls) } : {}),
    },
    s.apiLimits,
  );
  log.info({ url: api.url }, "API listening");

  const watcher = watchTree(
    s.publish.source,
    compileExcludes(s.publish.excludes),
    () => scheduler.changed(),
    (err) => log.error({ err }, "watcher error"),
  );
  await watcher.ready;
  // The first publish also completes (or abandons) whatever a crash interrupted.
  void scheduler.request();

  const reconcileTimer = setInterval(() => {
    if (scheduler.isPublishing() || reconciling) return;
    const abort = new AbortController();
    reconciling = abort;
    void exclusive(async () => {
      if (abort.signal.aborted) return;
      const result = await publisher.reconcileCurrent(
        Math.min(s.publish.reconcileDeadlineMs, s.reconcileEveryMs / 2),
        undefined,
        abort.signal,
      );
      if (result) board.reconciled(result.members, new Date());
    })
      .catch((err: unknown) => {
        if (abort.signal.aborted)
          log.info("scheduled reconcile cut short: a publish starts or the daemon stops");
        else log.error({ err }, "scheduled reconcile failed");
      })
      .finally(() => {
        if (reconciling === abort) reconciling = undefined;
      });
  }, s.reconcileEveryMs);

  const housekeepingTimer = setInterval(() => {
    void exclusive(async () => {
      const run = await runHousekeeping(aws, log, {
        project: s.publish.project,
        keep: s.publish.retention,
        currentSnapshotId: pointers.current()?.snapshotId,
        knownHostsFile: s.publish.ssh.knownHostsFile,
      });
      metrics.recordHousekeeping(
        run.failures.map((f) => f.step),
        new Date(run.at),
      );
      board.housekept(run);
    }).catch((err: unknown) => log.error({ err: messageOf(err) }, "housekeeping failed"));
  }, s.housekeepingEveryMs);

  return {
    api,
    stop: async () => {
      clearInterval(reconcileTimer);
      clearInterval(housekeepingTimer);
      reconciling?.abort();
      if (retryTimer) clearTimeout(retryTimer);
      scheduler.stop();
      await watcher.close();
      await api.close();
      await queue;
      await closeSharedConnections(s.publish.ssh.controlDir);
      aws.destroy();
    },
  };
}
