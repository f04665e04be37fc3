// `npm run bench -- cli-start [--runs 11]`: how fast the executables start, compiled against the same
// command run from the TypeScript sources through tsx (the baseline), both measured in the same run.
// The bundles are built first (npm run build), the agent's single executable when it is missing
// (npm run build:agent). Each command then runs --runs times per form, alternating, after a warm-up
// run of each (it fills Node's compile cache and tsx's transform cache, as any second start finds
// them); the figure is the median wall time from spawn to exit. The last line is one JSON object.
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import pkg from "../package.json" with { type: "json" };
import { run } from "#shared/proc/run.js";
import { intOption } from "./_options.js";

const root = join(import.meta.dirname, "..");
const AGENT_EXE = join(root, "dist", "asg-release-agent");
const VALID = "test/fixtures/config/valid";

interface Case {
  key: "version" | "help" | "validate" | "agentVersion";
  title: string;
  compiled: string[];
  tsx: string[];
  /** What stdout must start with, so a failed start is never timed as a fast one. */
  expect: string;
}

const node = (bin: string, ...args: string[]) => [process.execPath, join(root, "bin", bin), ...args];
const validateArgs = [
  "validate",
  "--env",
  `${VALID}/env.yaml`,
  "--env",
  `${VALID}/prod.yaml`,
  "--model",
  `${VALID}/model.yaml`,
  "--project",
  "shop",
];

const CASES: Case[] = [
  {
    key: "version",
    title: "asg-release --version",
    compiled: node("asg-release.js", "--version"),
    tsx: node("asg-release.js", "--version"),
    expect: `${pkg.version}\n`,
  },
  {
    key: "help",
    title: "asg-release --help",
    compiled: node("asg-release.js", "--help"),
    tsx: node("asg-release.js", "--help"),
    expect: "Usage: asg-release",
  },
  {
    key: "validate",
    title: `asg-release validate (${VALID})`,
    compiled: node("asg-release.js", ...validateArgs),
    tsx: node("asg-release.js", ...validateArgs),
    expect: "valid: ",
  },
  {
    key: "agentVersion",
    title: "asg-release-agent --version",
    compiled: [AGENT_EXE, "--version"],
    tsx: node("asg-release-agent.js", "--version"),
    expect: `asg-release-agent ${pkg.version} (node `,
  },
];

/** tsxCold: tsx without its transform cache, as the first start after a clone or an edit. */
type Form = "compiled" | "tsx" | "tsxCold";
const FORMS: Form[] = ["compiled", "tsx", "tsxCold"];
/** bin/run.js runs a fresh bundle, or the sources with ASG_RELEASE_FROM_SOURCE=1. */
const FORM_ENV: Record<Form, Record<string, string>> = {
  compiled: { ASG_RELEASE_FROM_SOURCE: "0" },
  tsx: { ASG_RELEASE_FROM_SOURCE: "1" },
  tsxCold: { ASG_RELEASE_FROM_SOURCE: "1", TSX_DISABLE_CACHE: "1" },
};

const round = (ms: number): number => Math.round(ms * 10) / 10;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** One start: spawn to exit, in ms; fails unless it exits 0 with the expected output. */
async function timeOnce(argv: string[], form: Form, expected: string): Promise<number> {
  const started = performance.now();
  const result = await run(argv, { cwd: root, env: FORM_ENV[form] });
  const ms = performance.now() - started;
  if (!result.stdout.startsWith(expected))
    throw new Error(`${argv.join(" ")} (${form}) printed ${JSON.stringify(result.stdout.slice(0, 200))}`);
  return ms;
}

async function build(): Promise<{ buildMs: number; agentBuilt: boolean }> {
  const started = performance.now();
  await run([process.execPath, join(root, "bin", "build.js")], { timeoutMs: 300_000 });
  for (const name of ["asg-release.cjs", "asg-release-server.cjs", "agent.cjs"]) {
    // Without a stamp bin/ would run the sources and both forms would measure tsx.
    if (!existsSync(join(root, "dist", `${name}.stamp`)))
      throw new Error(`dist/${name} has no stamp (a source changed during the build): run the bench again`);
  }
  const agentBuilt = !existsSync(AGENT_EXE);
  if (agentBuilt) await run([process.execPath, join(root, "bin", "build-agent.js")], { timeoutMs: 300_000 });
  return { buildMs: performance.now() - started, agentBuilt };
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { runs: { type: "string", default: "11" } } });
  const runs = intOption("runs", values.runs, 7, 200);
  print(
    `cli-start: the bundles of npm run build and ${relative(root, AGENT_EXE)} against the same commands ` +
      `from the sources through tsx (baseline, same run); node ${process.version}, ${runs} runs each, alternating`,
  );
  const { buildMs, agentBuilt } = await build();
  print(`built dist/ in ${(buildMs / 1000).toFixed(1)} s${agentBuilt ? " (with the agent executable)" : ""}`);

  const figures = {} as Record<Case["key"], Record<Form, number>>;
  for (const c of CASES) {
    const times: Record<Form, number[]> = { compiled: [], tsx: [], tsxCold: [] };
    for (let i = -1; i < runs; i++) {
      // Rotate which form goes first, so none always follows another.
      const first = (i + 1) % FORMS.length;
      for (const form of [...FORMS.slice(first), ...FORMS.slice(0, first)]) {
        const argv = form === "compiled" ? c.compiled : c.tsx;
        const ms = await timeOnce(argv, form, c.expect);
        if (i >= 0) times[form].push(ms);
      }
    }
    figures[c.key] = {
      compiled: round(median(times.compiled)),
      tsx: round(median(times.tsx)),
      tsxCold: round(median(times.tsxCold)),
    };
  }

  const ratio = (k: Case["key"], form: Form = "tsx") =>
    Math.round((figures[k][form] / figures[k].compiled) * 10) / 10;
  const num = (n: number) => String(n).padStart(10);
  print(
    `  ${"command (median ms)".padEnd(52)}${"compiled".padStart(10)}${"tsx".padStart(10)}${"tsx cold".padStart(10)}` +
      "  tsx/compiled  cold/compiled",
  );
  for (const c of CASES) {
    const f = figures[c.key];
    print(
      `  ${c.title.padEnd(52)}${num(f.compiled)}${num(f.tsx)}${num(f.tsxCold)}` +
        `  ${`x${ratio(c.key)}`.padEnd(12)}  x${ratio(c.key, "tsxCold")}`,
    );
  }
  const json: Record<string, unknown> = { bench: "cli-start", node: process.version, runs };
  for (const c of CASES) json[`${c.key}Ms`] = figures[c.key].compiled;
  for (const c of CASES) json[`tsx${c.key[0]!.toUpperCase()}${c.key.slice(1)}Ms`] = figures[c.key].tsx;
  for (const c of CASES)
    json[`tsxCold${c.key[0]!.toUpperCase()}${c.key.slice(1)}Ms`] = figures[c.key].tsxCold;
  print(
    JSON.stringify({
      ...json,
      ratio: ratio("version"),
      ratios: Object.fromEntries(CASES.map((c) => [c.key, ratio(c.key)])),
      ratiosCold: Object.fromEntries(CASES.map((c) => [c.key, ratio(c.key, "tsxCold")])),
      buildMs: round(buildMs),
    }),
  );
}
