// What a publish needs to know and to use. Settings come from the server config (config.ts maps
// them); deps are the ports to the outside world, passed in, never global.
import type { AwsClients } from "#shared/aws/clients.js";
import type { Logger } from "#shared/log.js";
import type { Clock } from "#shared/poll.js";
import type { SshSettings } from "#shared/proc/argv/ssh.js";
import type { Run } from "#shared/proc/run.js";
import type { Metrics } from "../api/metrics.js";
import type { PointerStore } from "../api/pointer-store.js";
import type { Targets } from "./list-members.js";
import type { UnreachableRule } from "./plan/unreachable.js";
import type { ReleaseHostPort } from "./rollback-source.js";

export interface PublishSettings {
  project: string;
  /** The watched code tree. */
  source: string;
  /** Where the release volume is mounted on this host. */
  mountPath: string;
  /** The user's exclude patterns (excludes.ts). */
  excludes: readonly string[];
  targets: Targets;
  ssh: SshSettings;
  /** The release root on instances (the agent's mount path). */
  dest: string;
  /** Refuse to push into `dest` unless a filesystem is mounted there (the agent's volume). */
  requireMount: boolean;
  concurrency: number;
  instanceTimeoutMs: number;
  reconcileDeadlineMs: number;
  /** When a member that cannot be reached is reported instead of waited for (unreachable.ts). */
  unreachable: UnreachableRule;
  /** First pause between reconcile passes; later ones back off. */
  reconcileIntervalMs: number;
  snapshotTimeoutMs: number;
  /** The shrink guard's limit (plan/shrink.ts), in percent of the current release's files or bytes. */
  maxShrinkPercent: number;
  retention: number;
  /** Journal and pointer live here. */
  stateDir: string;
}

export interface PublishDeps {
  aws: AwsClients;
  run: Run;
  log: Logger;
  pointers: PointerStore;
  metrics?: Metrics;
  /** Wall-clock time for release ids and the journal. */
  now: () => Date;
  /** The poller's clock. */
  clock?: Clock;
  /** The release host, for a rollback's temporary source volume; without it rollbacks are refused. */
  releaseHost?: ReleaseHostPort;
}

export const journalPath = (s: PublishSettings): string => `${s.stateDir}/publish-journal.json`;
export const pointerPath = (stateDir: string): string => `${stateDir}/pointer.json`;
export const lockPath = (s: PublishSettings): string => `${s.stateDir}/publish.lock`;
export const statusPath = (s: PublishSettings): string => `${s.stateDir}/last-publish.json`;
