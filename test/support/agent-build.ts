// The agent executable for tests, built once for a given source: `bin/build-agent.js` for this
// machine's architecture, copied into a cache keyed by a hash of everything the build reads. Test
// files running in parallel share one build (flock serialises them); an unchanged tree builds none.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { run } from "#shared/proc/run.js";

const root = join(import.meta.dirname, "..", "..");
const CACHE = join(root, ".sim-state", "cache");

/** What the bundle and the executable are made of (the Node binary itself is in the key too). */
const INPUTS = [
  "agent",
  "shared",
  "scripts/build",
  "scripts/build-agent.ts",
  "bin/build-agent.js",
  "bin/run-ts.js",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
];

function files(path: string): string[] {
  const abs = join(root, path);
  if (!existsSync(abs)) return [];
  if (!statSync(abs).isDirectory()) return [path];
  return readdirSync(abs, { recursive: true, encoding: "utf8" })
    .map((p) => join(path, p))
    .filter((p) => statSync(join(root, p)).isFile());
}

/** sha256 over the inputs' paths and contents, this Node's version and the architecture. */
export function agentInputsHash(): string {
  const hash = createHash("sha256").update(`${process.version} ${process.arch}\n`);
  for (const p of INPUTS.flatMap(files).sort()) {
    hash.update(`${relative(root, join(root, p))}\n`).update(readFileSync(join(root, p)));
  }
  return hash.digest("hex").slice(0, 16);
}

// Under the lock: build unless an earlier run did, check the copy runs (dist/ may be rewritten by
// a concurrent build), then move it into place; older entries go.
const BUILD = `set -e
[ -x "$OUT" ] && exit 0
"$NODE" bin/build-agent.js --arch "$ARCH" >&2
cp dist/asg-release-agent "$OUT.tmp"
"$OUT.tmp" --version >/dev/null
mv "$OUT.tmp" "$OUT"
find "$CACHE" -mindepth 1 -maxdepth 1 -name 'asg-release-agent-*' ! -name "$(basename "$OUT")" -mmin +60 -delete`;

/** Every test's build into dist/ takes this lock: test files run in parallel, and builds share files there. */
const DIST_LOCK = join(CACHE, "dist.lock");

/** Runs a build script (`bin/build-*.js` and its arguments) under the dist/ lock. */
export async function buildInDist(argv: string[], timeoutMs = 900_000): Promise<void> {
  await mkdir(CACHE, { recursive: true });
  await run(["flock", DIST_LOCK, process.execPath, ...argv], { cwd: root, timeoutMs });
}

/** The path of an agent executable built from the current tree (do not modify the file). */
export async function agentExecutable(): Promise<string> {
  await mkdir(CACHE, { recursive: true });
  const out = join(CACHE, `asg-release-agent-${agentInputsHash()}`);
  if (existsSync(out)) return out;
  await run(["flock", DIST_LOCK, "/bin/sh", "-c", BUILD], {
    cwd: root,
    env: { OUT: out, CACHE, NODE: process.execPath, ARCH: process.arch },
    timeoutMs: 600_000,
  });
  return out;
}
