// `npm run build:agent` (bin/build-agent.js): the boot agent as one self-contained executable, offline.
//   1. esbuild bundles agent/main.ts and everything it imports into one CommonJS file
//      (dist/agent.cjs), the only form a Node single-executable application can run;
//   2. node --experimental-sea-config turns it into a blob;
//   3. a copy of this node binary gets the blob injected with postject (dist/asg-release-agent).
// `pkg` would download Node binaries at build time, which cannot work offline (docs/design.md#tooling).
import { chmodSync, copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { bundle } from "./build/bundle.js";
import { run } from "#shared/proc/run.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const bundleFile = join(dist, "agent.cjs");
const blob = join(dist, "agent.blob");
const seaConfig = join(dist, "sea-config.json");
const output = join(dist, "asg-release-agent");
// The fuse postject flips so node knows a blob is inside (documented in Node's "Single executable applications").
const SENTINEL_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

const say = (msg: string) => process.stderr.write(`build-agent: ${msg}\n`);

// Build tools run quietly (postject prints harmless ELF section warnings): run() keeps their output
// and shows the tail of stderr only in the CommandError of a failure.
export async function main(argv: string[]): Promise<void> {
  const bundleOnly = argv.includes("--bundle-only");
  mkdirSync(dist, { recursive: true });

  await bundle({ root, entry: "agent/main.ts", outfile: bundleFile });
  say(`bundled ${relative(root, bundleFile)} (${Math.round(statSync(bundleFile).size / 1024)} KiB)`);
  if (bundleOnly) return;

  writeFileSync(
    seaConfig,
    `${JSON.stringify(
      // The code cache saves compiling the bundle at every start (most of a cold start otherwise).
      { main: bundleFile, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true },
      null,
      2,
    )}\n`,
  );
  await run([process.execPath, "--experimental-sea-config", seaConfig]);

  rmSync(output, { force: true });
  copyFileSync(process.execPath, output);
  chmodSync(output, 0o755);
  const postject = join(root, "node_modules", ".bin", "postject");
  await run([postject, output, "NODE_SEA_BLOB", blob, "--sentinel-fuse", SENTINEL_FUSE]);
  rmSync(blob, { force: true });
  say(`wrote ${relative(root, output)} (${Math.round(statSync(output).size / 1024 / 1024)} MiB)`);
}
