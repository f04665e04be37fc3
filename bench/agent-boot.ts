// `npm run bench -- agent-boot [--instances 3] [--runs 20] [--baseline-node /usr/bin/node] [--cold-only]`: how long
// the boot agent takes as the shipped single executable (dist/asg-release-agent: pinned Node 24, V8
// code cache) against the baseline, the same bundle (dist/agent.cjs) made into a single executable
// on the machine's own older node (Node 20 here, what the agent shipped on before), built and
// measured in the same run.
//   1. Cold start: spawn to the first request on an IMDS-like listener on a 127.x address; also the
//      Node 24 executable without its code cache, to show what the cache is worth.
//   2. Start to ready on the local region: an Auto Scaling group of full instances whose user-data
//      (cloud-init/agent.yaml) installs and configures the agent; the agent is then started in each
//      host, one at a time, alternating between the two forms, and its JSON log gives each step's
//      duration. The stack is the integration tests' (test/support/agent-fleet.ts). --cold-only
//      skips it (a few seconds instead of a minute).
// The executable is rebuilt first when dist/ is missing or older than its sources. The last line is
// one JSON object with the figures.
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { freeLoopbackIp } from "../test/support/loopback.js";
import { groupInstances, hostOf, waitUntil, type Fleet, type Host } from "../test/support/e2e/fleet.js";
import {
  AGENT_BIN,
  buildAgent,
  runAgentIn,
  startAgentGroup,
  type AgentGroup,
} from "../test/support/agent-fleet.js";
import { run, start } from "#shared/proc/run.js";
import { buildSea } from "../scripts/build/sea.js";
import { hostArch } from "../scripts/build/targets.js";
import { intOption } from "./_options.js";

const root = join(import.meta.dirname, "..");
const BUNDLE = join(root, "dist", "agent.cjs");
const GROUP = "bench-agent";
/** What release r1 of startAgentGroup serves. */
const CONTENT = "release r1\n";
/** Steps of a first boot, in order (cleanup only runs after a catch-up). */
const STEPS = ["identity", "pointer", "volume", "mount", "container", "readiness", "report"] as const;
/** Where cloud-init installs the executable inside a host. */
const HOST_BIN = "/usr/local/bin/asg-release-agent";
const COLD_WARMUP = 2;
const COLD_TIMEOUT_MS = 15_000;

/** The shipped executable and the baseline, in both measures. */
type Form = "executable" | "baseline";
const FORMS: Form[] = ["executable", "baseline"];
/** The cold start also runs the shipped executable without its code cache. */
type ColdForm = Form | "noCodeCache";
const COLD_FORMS: ColdForm[] = ["executable", "noCodeCache", "baseline"];

interface Options {
  instances: number;
  runs: number;
  baselineNode: string;
  coldOnly: boolean;
}

/** The executables compared with the shipped one, built for this run. */
interface Comparisons {
  baseline: string;
  baselineNodeVersion: string;
  noCodeCache: string;
}

interface Stat {
  median: number;
  max: number;
}

/** One agent's boot, from its log. */
interface BootRun {
  form: Form;
  instanceId: string;
  /** spawn (nsenter into the host) to the "ready" log line. */
  totalMs: number;
  /** spawn to the start of the identity step: process start, config, logger, status file. */
  startupMs: number;
  steps: Record<string, number>;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      instances: { type: "string", default: "3" },
      runs: { type: "string", default: "20" },
      "baseline-node": { type: "string", default: "/usr/bin/node" },
      "cold-only": { type: "boolean", default: false },
    },
  });
  return {
    instances: intOption("instances", values.instances, 1, 10),
    runs: intOption("runs", values.runs, 1, 500),
    baselineNode: values["baseline-node"],
    coldOnly: values["cold-only"],
  };
}

const round = (ms: number): number => Math.round(ms * 10) / 10;
const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const statOf = (values: number[]): Stat => ({
  median: round(median(values)),
  max: round(Math.max(...values)),
});

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The newest modification time of the files under `path` (or of `path` itself). */
async function newestMtime(path: string): Promise<number> {
  const s = await stat(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = 0;
  for (const e of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, e)));
  return newest;
}

/**
 * Builds dist/ (npm run build:agent) unless both the bundle and the executable are newer than
 * everything they are made of: the agent's and shared sources, the lockfile (which pins the node
 * binaries) and the build scripts. Returns the build's wall time, or undefined.
 */
async function ensureBuilt(): Promise<number | undefined> {
  const built = await Promise.all(
    [BUNDLE, AGENT_BIN].map((p) =>
      stat(p).then(
        (s) => s.mtimeMs,
        () => 0,
      ),
    ),
  );
  const sources = await Promise.all(
    [
      join(root, "agent"),
      join(root, "shared"),
      join(root, "package-lock.json"),
      join(root, "bin", "build-agent.js"),
      join(root, "scripts", "build-agent.ts"),
      join(root, "scripts", "build"),
    ].map(newestMtime),
  );
  if (Math.min(...built) > Math.max(...sources)) return undefined;
  const start = performance.now();
  await buildAgent();
  return round(performance.now() - start);
}

/**
 * The baseline, the same bundle as a single executable on `baselineNode` (with a code cache, as the
 * agent shipped before), and the shipped Node 24 executable without its code cache, into `dir`.
 */
async function buildComparisons(baselineNode: string, dir: string): Promise<Comparisons> {
  const { stdout } = await run([baselineNode, "-p", "process.version"]);
  const arch = hostArch();
  const baseline = join(dir, "asg-release-agent-baseline");
  const noCodeCache = join(dir, "asg-release-agent-no-code-cache");
  await buildSea({
    root,
    bundle: BUNDLE,
    arch,
    node: baselineNode,
    output: baseline,
    workDir: join(dir, "sea-1"),
  });
  await buildSea({
    root,
    bundle: BUNDLE,
    arch,
    output: noCodeCache,
    workDir: join(dir, "sea-2"),
    useCodeCache: false,
  });
  return { baseline, baselineNodeVersion: stdout.trim(), noCodeCache };
}

// ---------------------------------------------------------------------------------------------
// Cold start: spawn -> first request on an IMDS-like listener.

interface ColdStart {
  p50: number;
  p95: number;
  min: number;
}

/** A listener that reports when the next request arrives; it never answers (the agent is killed). */
async function startImdsProbe(): Promise<{
  endpoint: string;
  next(): Promise<number>;
  close(): Promise<void>;
}> {
  const ip = await freeLoopbackIp();
  let waiting: ((at: number) => void) | undefined;
  const server: Server = createServer((req, res) => {
    const at = performance.now();
    waiting?.(at);
    waiting = undefined;
    req.resume();
    res.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, ip, resolve));
  return {
    endpoint: `http://${ip}:${(server.address() as AddressInfo).port}`,
    next: () => new Promise((resolve) => (waiting = resolve)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** spawn -> first IMDS request, for one start of `command`; the process is killed at the request. */
async function coldStartOnce(
  command: string[],
  env: Record<string, string>,
  probe: Awaited<ReturnType<typeof startImdsProbe>>,
): Promise<number> {
  const requested = probe.next();
  const started = performance.now();
  const child = start(command, { env, replaceEnv: true, output: "capture" });
  const exited = child.done;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    requested.then((at) => ({ at })),
    exited.then((e) => ({ code: e.exitCode ?? e.signal ?? e.reason })),
    new Promise<{ timeout: true }>((resolve) => {
      timer = setTimeout(() => resolve({ timeout: true }), COLD_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  child.kill("SIGKILL");
  const { stderr } = await exited;
  if ("at" in outcome) return outcome.at - started;
  const why = "code" in outcome ? `exited with ${outcome.code}` : `made no request in ${COLD_TIMEOUT_MS} ms`;
  throw new Error(`${command.join(" ")} ${why}: ${stderr.trim().slice(0, 800)}`);
}

/** `runs` cold starts of each form, taking turns, after a warm-up (page cache) of each. */
async function measureColdStart(runs: number, exes: Comparisons): Promise<Record<ColdForm, ColdStart>> {
  const dir = await mkdtemp(join(tmpdir(), "bench-agent-boot-"));
  const probe = await startImdsProbe();
  try {
    const config = join(dir, "agent.yaml");
    // A valid configuration whose files all live in the temporary directory; nothing past the
    // identity step ever runs.
    await writeFile(
      config,
      `project: bench
pointer: { url: "http://127.0.0.1:9" }
container: { image: "127.0.0.1:9/bench:1", cli: podman }
readiness: { check: { tcp: { host: 127.0.0.1, port: 9 } } }
status_file: ${join(dir, "status.json")}
fstab_file: ${join(dir, "fstab")}
`,
    );
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin",
      HOME: dir,
      AWS_EC2_METADATA_SERVICE_ENDPOINT: probe.endpoint,
      AWS_CONFIG_FILE: join(dir, "aws-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "aws-credentials"),
    };
    const args = ["boot", "--config", config];
    const commands: Record<ColdForm, string[]> = {
      executable: [AGENT_BIN, ...args],
      noCodeCache: [exes.noCodeCache, ...args],
      baseline: [exes.baseline, ...args],
    };
    const times: Record<ColdForm, number[]> = { executable: [], noCodeCache: [], baseline: [] };
    for (let i = 0; i < COLD_WARMUP + runs; i++) {
      // Rotate which form goes first, so none always follows another.
      const order = COLD_FORMS.map((_, k) => COLD_FORMS[(i + k) % COLD_FORMS.length]!);
      for (const form of order) {
        const ms = await coldStartOnce(commands[form], env, probe);
        if (i >= COLD_WARMUP) times[form].push(ms);
      }
    }
    const figures = (t: number[]): ColdStart => ({
      p50: round(percentile(t, 50)),
      p95: round(percentile(t, 95)),
      min: round(Math.min(...t)),
    });
    return {
      executable: figures(times.executable),
      noCodeCache: figures(times.noCodeCache),
      baseline: figures(times.baseline),
    };
  } finally {
    await probe.close();
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Start to ready on the local region.

async function stopStack(s: Partial<AgentGroup>): Promise<void> {
  await s.pointer?.close().catch(() => undefined);
  await s.agent?.close().catch(() => undefined);
  await s.fleet?.stop().catch(() => undefined);
  await s.registry?.stop().catch(() => undefined);
}

/**
 * The integration tests' stack: a loopback registry with the busybox httpd image, full hosts, the
 * executable served for cloud-init, release r1 published and a pointer server naming it, and a group
 * of `size` instances held by a launch hook, the agent installed but not started.
 */
const startStack = (size: number, s: Partial<AgentGroup>): Promise<AgentGroup> =>
  startAgentGroup(
    {
      prefix: "bench-agent-boot",
      group: GROUP,
      start: false,
      maxSize: size,
      desiredCapacity: size,
      heartbeatTimeout: 900,
      // ensureBuilt has built it.
      buildAgent: false,
    },
    s,
  );

/** The group's hosts once user-data has installed and configured the agent in each. */
async function readyHosts(fleet: Fleet, size: number): Promise<Host[]> {
  const ids = await waitUntil(
    `${size} instances held by the launch hook`,
    async () => {
      const held = (await groupInstances(fleet, GROUP)).filter((m) => m.state === "Pending:Wait");
      return held.length === size ? held.map((m) => m.instanceId) : undefined;
    },
    180_000,
  );
  return Promise.all(
    ids.map(async (id) => {
      const host = await hostOf(fleet, id);
      await waitUntil(
        `the agent installed and configured by user-data on ${id}`,
        async () =>
          (await host
            .sh(`test -x ${HOST_BIN} && grep -c @IP@ /etc/asg-release/agent.yaml || true`)
            .catch(() => "")) === "0"
            ? true
            : undefined,
        120_000,
      );
      return host;
    }),
  );
}

/** Swaps the executable user-data installed for the baseline, at the same path. */
async function useBaseline(host: Host, baseline: string): Promise<void> {
  await mkdir(join(host.rootDir, "usr/local/lib"), { recursive: true });
  await copyFile(baseline, join(host.rootDir, "usr/local/lib/asg-release-agent.baseline"));
  await host.sh(
    `install -m 0755 /usr/local/lib/asg-release-agent.baseline ${HOST_BIN}.tmp && ` +
      `mv ${HOST_BIN}.tmp ${HOST_BIN} && rm /usr/local/lib/asg-release-agent.baseline`,
  );
}

/** Starts the agent in `host` and reads its figures from its JSON log. */
async function bootOnce(fleet: Fleet, host: Host, form: Form): Promise<BootRun> {
  const start = Date.now();
  const run = await runAgentIn(fleet, host);
  const lines = run.lines;
  const ready = lines.find((l) => l.msg === "ready");
  if (run.exitCode !== 0 || !ready) {
    const failed = lines.find((l) => l.msg === "boot failed");
    throw new Error(
      `the agent (${form}) on ${host.instanceId} exited with ${run.exitCode}: ${JSON.stringify(failed ?? lines.at(-1))}`,
    );
  }
  const at = (l: Record<string, unknown>) => Date.parse(String(l.time));
  const steps: Record<string, number> = {};
  let identityStart = NaN;
  for (const l of lines) {
    if (typeof l.step !== "string" || typeof l.durationMs !== "number" || l.msg !== `${l.step}: done`)
      continue;
    steps[l.step] = l.durationMs;
    if (l.step === "identity") identityStart = at(l) - l.durationMs;
  }
  const missing = STEPS.filter((s) => steps[s] === undefined);
  if (missing.length) throw new Error(`the agent's log has no duration for ${missing.join(", ")}`);
  const served = await fetch(`http://${host.privateIp}:8080/index.html`).then(
    (r) => r.text(),
    () => "",
  );
  if (served !== CONTENT) throw new Error(`${host.instanceId} serves ${JSON.stringify(served)} after ready`);
  return {
    form,
    instanceId: host.instanceId,
    totalMs: at(ready) - start,
    startupMs: identityStart - start,
    steps,
  };
}

interface FormFigures {
  total: Stat;
  startup: Stat;
  steps: Record<string, Stat>;
}

function figuresOf(runs: BootRun[]): FormFigures {
  return {
    total: statOf(runs.map((r) => r.totalMs)),
    startup: statOf(runs.map((r) => r.startupMs)),
    steps: Object.fromEntries(STEPS.map((s) => [s, statOf(runs.map((r) => r.steps[s]!))])),
  };
}

async function measureBoots(
  instances: number,
  baseline: string,
  say: (line: string) => void,
): Promise<{ figures: Record<Form, FormFigures>; setupMs: number }> {
  const s: Partial<AgentGroup> = {};
  try {
    const setupStart = performance.now();
    const stack = await startStack(instances * 2, s);
    const hosts = await readyHosts(stack.fleet, instances * 2);
    const setupMs = round(performance.now() - setupStart);
    say(`  stack up and ${hosts.length} instances installed by user-data in ${Math.round(setupMs / 1000)} s`);
    const byForm: Record<Form, Host[]> = {
      executable: hosts.slice(0, instances),
      baseline: hosts.slice(instances),
    };
    for (const h of byForm.baseline) await useBaseline(h, baseline);
    const runs: Record<Form, BootRun[]> = { executable: [], baseline: [] };
    for (let i = 0; i < instances; i++) {
      const order = i % 2 ? [...FORMS].reverse() : FORMS;
      for (const form of order) {
        const r = await bootOnce(stack.fleet, byForm[form][i]!, form);
        runs[form].push(r);
        say(`  ${form.padEnd(10)} ${r.instanceId}: ready in ${Math.round(r.totalMs)} ms`);
      }
    }
    const errors = stack.fleet.sim.sim.backgroundErrors();
    if (errors.length) throw new Error(`background errors in the sim: ${JSON.stringify(errors.slice(0, 3))}`);
    return {
      figures: { executable: figuresOf(runs.executable), baseline: figuresOf(runs.baseline) },
      setupMs,
    };
  } finally {
    await stopStack(s);
  }
}

export async function main(argv: string[]): Promise<void> {
  const opts = parseOptions(argv);
  const wallStart = performance.now();
  const exe = relative(root, AGENT_BIN);
  const bundle = relative(root, BUNDLE);
  const buildMs = await ensureBuilt();
  print(buildMs === undefined ? `${exe} is up to date` : `built ${exe} in ${Math.round(buildMs / 1000)} s`);
  const { stdout: versionLine } = await run([AGENT_BIN, "--version"]);
  const executableNode = /node (v[\d.]+)/.exec(versionLine)?.[1] ?? "unknown";
  const dir = await mkdtemp(join(tmpdir(), "bench-agent-exes-"));
  try {
    const exes = await buildComparisons(opts.baselineNode, dir);
    print(
      `agent-boot: ${exe} (node ${executableNode}, code cache) against the baseline, ${bundle} as a ` +
        `single executable on ${opts.baselineNode} ${exes.baselineNodeVersion} (code cache), same run`,
    );
    await measure(opts, exes, { wallStart, buildMs, executableNode });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function measure(
  opts: Options,
  exes: Comparisons,
  ctx: { wallStart: number; buildMs: number | undefined; executableNode: string },
): Promise<void> {
  const cold = await measureColdStart(opts.runs, exes);
  const coldLine = (c: ColdStart) => `p50 ${c.p50} ms, p95 ${c.p95} ms, min ${c.min} ms`;
  print(`cold start, spawn to the first IMDS request (${opts.runs} runs each, taking turns):`);
  print(`  executable (node ${ctx.executableNode}): ${coldLine(cold.executable)}`);
  print(
    `  same without its code cache: ${coldLine(cold.noCodeCache)}; the cache saves ` +
      `${round(cold.noCodeCache.p50 - cold.executable.p50)} ms (p50)`,
  );
  print(
    `  baseline (node ${exes.baselineNodeVersion}): ${coldLine(cold.baseline)}; ` +
      `executable x${ratio(cold.executable.p50, cold.baseline.p50)} (p50)`,
  );

  const coldJson = (c: ColdStart) => ({ p50Ms: c.p50, p95Ms: c.p95, minMs: c.min });
  const coldStartToImds = {
    executable: coldJson(cold.executable),
    executableNoCodeCache: coldJson(cold.noCodeCache),
    baseline: coldJson(cold.baseline),
    ratioToBaseline: ratio(cold.executable.p50, cold.baseline.p50),
    codeCacheSavesMs: round(cold.noCodeCache.p50 - cold.executable.p50),
  };
  const head = {
    bench: "agent-boot",
    executableNode: ctx.executableNode,
    baselineNode: exes.baselineNodeVersion,
    instances: opts.instances,
    runs: opts.runs,
    buildMs: ctx.buildMs ?? null,
    coldStartToImds,
  };
  if (opts.coldOnly) {
    const wallMs = round(performance.now() - ctx.wallStart);
    print(`wall time ${Math.round(wallMs / 1000)} s (cold start only)`);
    print(JSON.stringify({ ...head, startToReady: null, setupMs: null, wallMs }));
    return;
  }

  print(
    `start to ready on the local region: ${opts.instances} full instance${opts.instances === 1 ? "" : "s"} per form, ` +
      `agents started one at a time, alternating`,
  );
  const { figures: boot, setupMs } = await measureBoots(opts.instances, exes.baseline, print);
  const cell = (st: Stat) => `${st.median}/${st.max}`.padStart(13);
  print(`  ${"step (ms)".padEnd(10)}${"exe med/max".padStart(13)}${"base med/max".padStart(13)}  ratio`);
  const row = (name: string, a: Stat, b: Stat) =>
    print(`  ${name.padEnd(10)}${cell(a)}${cell(b)}  x${ratio(a.median, b.median)}`);
  row("startup", boot.executable.startup, boot.baseline.startup);
  for (const step of STEPS) row(step, boot.executable.steps[step]!, boot.baseline.steps[step]!);
  row("total", boot.executable.total, boot.baseline.total);
  print(
    `  start to ready: executable median ${boot.executable.total.median} ms, baseline ` +
      `${boot.baseline.total.median} ms; executable x${ratio(boot.executable.total.median, boot.baseline.total.median)}`,
  );
  const wallMs = round(performance.now() - ctx.wallStart);
  print(`wall time ${Math.round(wallMs / 1000)} s`);

  const formJson = (f: FormFigures) => ({
    totalMs: f.total,
    startupMs: f.startup,
    stepsMs: f.steps,
  });
  print(
    JSON.stringify({
      ...head,
      startToReady: {
        executable: formJson(boot.executable),
        baseline: formJson(boot.baseline),
        ratioToBaseline: ratio(boot.executable.total.median, boot.baseline.total.median),
        startupRatioToBaseline: ratio(boot.executable.startup.median, boot.baseline.startup.median),
      },
      setupMs,
      wallMs,
    }),
  );
}
