// The server config file (shared/config/server.ts) turned into what the publish path and the
// daemon take. Defaults that are not config keys are named here.
import { ConfigError } from "#shared/errors.js";
import { readSource } from "#shared/config/load.js";
import { defaultServerConfigPath, loadServerConfig, type ServerConfig } from "#shared/config/server.js";
import { DEFAULT_LIMITS, type ApiLimits } from "./api/limits.js";
import type { Targets } from "./publish/list-members.js";
import type { PublishSettings } from "./publish/settings.js";
import { DEFAULT_STATE_DIR } from "./server-options.js";

export { defaultServerConfigPath };

export { DEFAULT_STATE_DIR };
/** The release volume is attached as /dev/sdk, as in docs/spec/release.md#host-setup. */
export const DEFAULT_RELEASE_DEVICE = "/dev/sdk";

export interface ServerSettings {
  config: ServerConfig;
  publish: PublishSettings;
  debounceMs: number;
  maxWaitMs: number;
  /** How often the daemon reconciles the fleet (and retries stragglers) between publishes. */
  reconcileEveryMs: number;
  housekeepingEveryMs: number;
  /** The release volume's filesystem label (init formats with it and adopts only it). */
  releaseLabel: string;
  apiLimits: ApiLimits;
  /** Whether /v1/status and /metrics need the bearer token. */
  guardStatus: boolean;
  /** The pointer signing key's file (created by init), and whether server.yaml names it. */
  signingKey: { file: string; configured: boolean };
}

/** Where init puts the pointer signing key when server.yaml does not say. */
export const signingKeyPath = (stateDir: string): string => `${stateDir}/pointer-signing.key`;

export async function loadServerSettings(
  file: string,
  opts: { stateDir?: string } = {},
): Promise<ServerSettings> {
  const loaded = await readSource(file);
  if (!loaded.source) throw new ConfigError(loaded.issues);
  const { config, issues } = loadServerConfig(loaded.source);
  if (!config) throw new ConfigError([...loaded.issues, ...issues]);
  return settingsFrom(config, opts.stateDir ?? DEFAULT_STATE_DIR);
}

export function settingsFrom(c: ServerConfig, stateDir: string): ServerSettings {
  return {
    config: c,
    publish: {
      project: c.project,
      source: c.source,
      mountPath: c.release.mount_path,
      excludes: c.watch.ignore,
      targets: targetsFrom(c),
      ssh: {
        user: c.ssh.user,
        port: c.ssh.port,
        identityFile: c.ssh.key,
        knownHostsFile: c.ssh.known_hosts,
        controlDir: `${stateDir}/ssh`,
      },
      dest: c.release.instance_path,
      requireMount: true,
      concurrency: c.fanout.concurrency,
      instanceTimeoutMs: c.fanout.instance_timeout * 1000,
      reconcileDeadlineMs: c.fanout.reconcile_deadline * 1000,
      unreachable: {
        attempts: c.fanout.unreachable_attempts,
        afterMs: c.fanout.unreachable_after * 1000,
      },
      reconcileIntervalMs: 2000,
      snapshotTimeoutMs: c.release.snapshot_timeout * 1000,
      maxShrinkPercent: c.release.max_shrink_percent,
      retention: c.retention,
      stateDir,
    },
    debounceMs: c.watch.debounce_ms,
    maxWaitMs: Math.max(10_000, c.watch.debounce_ms * 20),
    reconcileEveryMs: c.fanout.reconcile_every * 1000,
    housekeepingEveryMs: c.housekeeping_every * 1000,
    releaseLabel: c.release.label,
    apiLimits: {
      maxConnections: c.api.max_connections,
      maxConnectionsPerClient: c.api.max_connections_per_client,
      maxLongPolls: c.api.max_long_polls,
      maxLongPollsPerClient: c.api.max_long_polls_per_client,
      retryAfterSeconds: DEFAULT_LIMITS.retryAfterSeconds,
      headersTimeoutMs: c.api.headers_timeout * 1000,
      requestTimeoutMs: c.api.request_timeout * 1000,
      maxBodyBytes: c.api.max_body_bytes,
    },
    guardStatus: c.api.guard_status,
    signingKey: { file: c.signing_key ?? signingKeyPath(stateDir), configured: c.signing_key !== undefined },
  };
}

/**
 * The groups a server pushes to. Without `asg_names` or `tags` (or with `from_project: true`), the
 * project's groups: those the deploy path tagged with this project, found again at every listing.
 */
export function targetsFrom(c: ServerConfig): Targets {
  const t = c.targets;
  const fromProject = t.from_project ?? (t.asg_names.length === 0 && Object.keys(t.tags).length === 0);
  return {
    asgNames: t.asg_names,
    tags: t.tags,
    ...(fromProject ? { project: { key: t.project_tag, value: c.project } } : {}),
  };
}
