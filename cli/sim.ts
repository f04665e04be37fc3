// `asg-release sim start|stop|status`: the local region as a foreground process or a daemon.
// The daemon is this same command re-run in the foreground, detached, with a pid file and the
// endpoint written into the state directory. A state directory left by a local region that did not
// stop (killed, crashed) is reclaimed by the next `sim start` or `sim stop` on it. `start` and
// `status` print `export AWS_...` lines (the rest as `#` comments), so `eval "$(...)"` works.
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type Command, InvalidArgumentError, Option } from "commander";
import { AsgReleaseError } from "#shared/errors.js";
import { isAlive as alive } from "#shared/proc/alive.js";
import type { Owned } from "../sim/hosts/owned.js";
import { exportLines, simEnv } from "./sim-env.js";

const DEFAULT_STATE_DIR = "/var/lib/asg-release/sim";
const DEFAULT_PORT = 4599;

interface StartOptions {
  stateDir: string;
  port: string;
  hosts: "full" | "light";
  daemon?: boolean;
  keepState?: boolean;
  insecureRegistry: string[];
}

/** What `sim status` and `sim start --daemon` know of a running region. */
interface Status {
  running: boolean;
  pid?: number;
  endpoint?: string;
  stateDir?: string;
  region?: string;
}

export function registerSim(program: Command): void {
  const sim = program
    .command("sim")
    .description("Run the local region: AWS-compatible APIs with instances as local hosts");

  sim
    .command("start")
    .description("Start the local region (foreground unless --daemon)")
    .option("--state-dir <dir>", "volumes, snapshots and hosts live here", DEFAULT_STATE_DIR)
    .option("--port <n>", "port on 127.0.0.1", String(DEFAULT_PORT))
    .addOption(
      new Option("--hosts <kind>", "instances as real local hosts or API-only")
        .choices(["full", "light"])
        .default("full"),
    )
    .option("--daemon", "run in the background; stop with `asg-release sim stop`")
    .option("--keep-state", "keep the state directory when stopping")
    .option(
      "--insecure-registry <host:port>",
      "a registry the full hosts' podman reaches over plain HTTP (registries.conf insecure); NAME=HOST:PORT also serves registry NAME from it; repeatable",
      (value: string, previous: string[]) => [...previous, parseRegistry(value)],
      [] as string[],
    )
    .action(async (opts: StartOptions) => {
      // Absolute: it is matched against the command lines and mounts a dead region left.
      const o = { ...opts, stateDir: resolve(opts.stateDir) };
      return o.daemon ? startDaemon(o) : runForeground(o);
    });

  sim
    .command("stop")
    .description(
      "Stop a daemon started with `sim start --daemon`, cleaning up every process, mount and loop device",
    )
    .option("--state-dir <dir>", "state directory of the daemon", DEFAULT_STATE_DIR)
    .action(async (opts: { stateDir: string }) => stopDaemon(resolve(opts.stateDir)));

  sim
    .command("status")
    .description(
      'Print whether the local region runs and the `export` lines for it (eval "$(asg-release sim status)")',
    )
    .option(
      "--state-dir <dir>",
      `state directory of the region (default: ${DEFAULT_STATE_DIR}, else whatever answers on --port)`,
    )
    .option("--port <n>", "port on 127.0.0.1 a region started elsewhere answers on", String(DEFAULT_PORT))
    .option("--json", "machine-readable output")
    .action(async (opts: { stateDir?: string; port: string; json?: boolean }) => {
      const stateDir = resolve(opts.stateDir ?? DEFAULT_STATE_DIR);
      let status: Status = await daemonStatus(stateDir);
      // Without --state-dir, a region started with another one (or in the foreground) is found by its port.
      if (!status.running && opts.stateDir === undefined) {
        const found = await probe(`http://127.0.0.1:${parsePort(opts.port)}`);
        if (found.running) status = found;
      }
      const stale = !status.running && !status.pid && existsSync(join(stateDir, "sim.pid"));
      const hint = stale
        ? `; a local region that did not stop left ${stateDir}: \`asg-release sim stop --state-dir ${stateDir}\` cleans it up`
        : "";
      const env = status.running && status.endpoint ? simEnv(status.endpoint, status.region) : undefined;
      if (opts.json)
        process.stdout.write(
          `${JSON.stringify({ ...status, ...(stale ? { stale } : {}), ...(env ? { env } : {}) })}\n`,
        );
      else if (env) process.stdout.write(`# ${runningLine(status)}\n${exportLines(env)}`);
      else process.stdout.write(`not running${hint}\n`);
      if (!status.running) process.exitCode = 1;
    });
}

function runningLine(s: Status): string {
  return `running (pid ${s.pid}) at ${s.endpoint}${s.stateDir ? `, state in ${s.stateDir}` : ""}`;
}

async function runForeground(opts: StartOptions): Promise<void> {
  const live = await daemonStatus(opts.stateDir);
  if (live.pid && live.pid !== process.pid)
    throw new AsgReleaseError(
      `the local region already runs (pid ${live.pid}) with state in ${opts.stateDir}`,
    );
  const found = await reclaimLeftovers(opts.stateDir);
  if (found) process.stderr.write(`${reclaimedLine(opts.stateDir, found)}\n`);
  const { startSim } = await import("../sim/index.js");
  const handle = await startSim({
    stateDir: opts.stateDir,
    port: parsePort(opts.port),
    hostKind: opts.hosts,
    keepStateDir: Boolean(opts.keepState),
    ...(opts.insecureRegistry.length > 0 ? { insecureRegistries: opts.insecureRegistry } : {}),
  });
  await writeFile(join(opts.stateDir, "endpoint"), `${handle.endpoint}\n`);
  await writeFile(join(opts.stateDir, "sim.pid"), `${process.pid}\n`);
  process.stdout.write(
    `# local region at ${handle.endpoint} (${opts.hosts} hosts, state in ${opts.stateDir})\n` +
      exportLines(handle.env()),
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await handle.stop();
  if (opts.keepState) await rm(join(opts.stateDir, "sim.pid"), { force: true });
}

async function startDaemon(opts: StartOptions): Promise<void> {
  const status = await daemonStatus(opts.stateDir);
  if (status.running)
    throw new AsgReleaseError(`the local region already runs (pid ${status.pid}) at ${status.endpoint}`);
  await mkdir(opts.stateDir, { recursive: true });
  await rm(join(opts.stateDir, "endpoint"), { force: true });
  const args = [
    process.argv[1]!,
    "sim",
    "start",
    "--state-dir",
    opts.stateDir,
    "--port",
    opts.port,
    "--hosts",
    opts.hosts,
  ];
  if (opts.keepState) args.push("--keep-state");
  for (const r of opts.insecureRegistry) args.push("--insecure-registry", r);
  // The log sits beside the state directory, which is removed on stop.
  const logPath = `${opts.stateDir}.log`;
  const { start } = await import("#shared/proc/run.js");
  const log = openSync(logPath, "a");
  const child = start([process.execPath, ...args], { detached: true, output: log });
  child.unref();
  closeSync(log);
  for (let i = 0; i < 200; i++) {
    const now = await daemonStatus(opts.stateDir);
    if (now.running && now.endpoint) {
      process.stdout.write(
        `# local region at ${now.endpoint} (pid ${now.pid}); stop it with \`asg-release sim stop --state-dir ${opts.stateDir}\`\n` +
          exportLines(simEnv(now.endpoint, now.region)),
      );
      return;
    }
    if (child.ended) break;
    await sleep(50);
  }
  throw new AsgReleaseError(`the local region did not start; see ${logPath}`);
}

async function stopDaemon(stateDir: string): Promise<void> {
  const status = await daemonStatus(stateDir);
  if (!status.pid) {
    const found = await reclaimLeftovers(stateDir);
    process.stdout.write(found ? `not running; ${reclaimedLine(stateDir, found)}\n` : "not running\n");
    return;
  }
  process.kill(status.pid, "SIGTERM");
  for (let i = 0; i < 600; i++) {
    if (!alive(status.pid)) {
      process.stdout.write("stopped\n");
      return;
    }
    await sleep(50);
  }
  throw new AsgReleaseError(`the local region (pid ${status.pid}) did not stop within 30 s`);
}

async function daemonStatus(stateDir: string): Promise<Status> {
  const pid = Number((await readFile(join(stateDir, "sim.pid"), "utf8").catch(() => "")).trim());
  const endpoint = (await readFile(join(stateDir, "endpoint"), "utf8").catch(() => "")).trim();
  if (!pid || !isSim(pid)) return { running: false };
  if (!endpoint) return { running: false, pid };
  const found = await probe(endpoint);
  return found.running ? { ...found, pid, stateDir } : { running: false, pid };
}

/** Asks whatever answers at `endpoint` whether it is a local region, and which. */
async function probe(endpoint: string): Promise<Status> {
  try {
    const res = await fetch(`${endpoint}/_sim/health`, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) return { running: false };
    const h = (await res.json()) as { ok?: boolean; pid?: number; stateDir?: string; region?: string };
    if (h.ok !== true) return { running: false };
    return {
      running: true,
      endpoint,
      ...(h.pid ? { pid: h.pid } : {}),
      ...(h.stateDir ? { stateDir: h.stateDir } : {}),
      ...(h.region ? { region: h.region } : {}),
    };
  } catch {
    return { running: false };
  }
}

/**
 * Cleans up after a local region that did not stop: its pid file outlived it, or its hosts still
 * hold processes, mounts, loop devices or cgroups. Ends them, releases them and removes the
 * directory (reclaimStateDir). Only called when no live local region uses `stateDir`.
 */
async function reclaimLeftovers(stateDir: string): Promise<Owned | undefined> {
  if (!existsSync(stateDir)) return undefined;
  const diedRunning = existsSync(join(stateDir, "sim.pid"));
  const { listOwned } = await import("../sim/hosts/owned.js");
  const o = listOwned(stateDir);
  const holding = o.processes.length + o.mounts.length + o.loopDevices.length + o.cgroups.length > 0;
  if (!diedRunning && !holding) return undefined;
  const { reclaimStateDir } = await import("../sim/hosts/reclaim.js");
  return reclaimStateDir(stateDir);
}

function reclaimedLine(stateDir: string, o: Owned): string {
  const n = (items: unknown[], one: string, many = `${one}s`): string =>
    `${items.length} ${items.length === 1 ? one : many}`;
  return (
    `reclaimed what a local region that did not stop left in ${stateDir}: ` +
    `${n(o.processes, "process", "processes")}, ${n(o.mounts, "mount")}, ` +
    `${n(o.loopDevices, "loop device")}, ${n(o.cgroups, "cgroup")}`
  );
}

/** A live `asg-release sim start` (not another process that got the pid of a dead one). */
function isSim(pid: number): boolean {
  if (!alive(pid)) return false;
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return argv.some((a, i) => a === "sim" && argv[i + 1] === "start");
  } catch {
    return true; // no /proc: trust the pid file
  }
}

/** "HOST:PORT" or "NAME=HOST:PORT" (sim/hosts/full/podman-config.ts writes them to registries.conf). */
export function parseRegistry(value: string): string {
  if (!/^(?:[A-Za-z0-9.-]+(?::\d+)?=)?[A-Za-z0-9.-]+:\d{1,5}$/.test(value))
    throw new InvalidArgumentError(`expected HOST:PORT or NAME=HOST:PORT, got ${JSON.stringify(value)}`);
  return value;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new AsgReleaseError(`--port: expected 0..65535, got ${value}`, { exitCode: 2 });
  return port;
}
