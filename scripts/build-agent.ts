// `npm run build:agent [-- --arch x64|arm64] [--bundle-only]` (bin/build-agent.js): the boot agent as
// one self-contained executable per architecture, reproducibly and offline once the pinned node
// binaries are cached.
//   1. esbuild bundles agent/main.ts and everything it imports into dist/agent.cjs;
//   2. the bundle becomes a Node single-executable application on the pinned Node 24 binary of each
//      architecture (scripts/build/sea.ts): dist/asg-release-agent-linux-<arch>;
//   3. dist/asg-release-agent is a hard link to the host architecture's one, the path tests and
//      docs use.
// `pkg` would download Node binaries at build time, which cannot work offline (docs/design.md#tooling).
import { copyFileSync, linkSync, mkdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { bundle } from "./build/bundle.js";
import { buildSea } from "./build/sea.js";
import { hostArch, parseBuildOptions, type Arch } from "./build/targets.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const bundleFile = join(dist, "agent.cjs");
/** The executable tests, the bench and the docs run: the host architecture's. */
export const hostAgent = join(dist, "asg-release-agent");

/** dist/asg-release-agent-linux-<arch>. */
export const agentExecutable = (arch: Arch): string => join(dist, `asg-release-agent-linux-${arch}`);

const say = (msg: string) => process.stderr.write(`build-agent: ${msg}\n`);
const mib = (file: string) => `${Math.round(statSync(file).size / 1024 / 1024)} MiB`;

export async function main(argv: string[]): Promise<void> {
  const opts = parseBuildOptions(argv);
  mkdirSync(dist, { recursive: true });

  await bundle({ root, entry: "agent/main.ts", outfile: bundleFile });
  say(`bundled ${relative(root, bundleFile)} (${Math.round(statSync(bundleFile).size / 1024)} KiB)`);
  if (opts.bundleOnly) return;

  for (const arch of opts.archs) {
    const output = agentExecutable(arch);
    await buildSea({ root, bundle: bundleFile, arch, output, workDir: join(dist, `.sea-agent-${arch}`) });
    say(`wrote ${relative(root, output)} (${mib(output)})`);
  }
  if (opts.archs.includes(hostArch())) linkOrCopy(agentExecutable(hostArch()), hostAgent);
}

/** A hard link saves 120 MiB; a copy where dist/ cannot hold one. */
function linkOrCopy(from: string, to: string): void {
  rmSync(to, { force: true });
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}
