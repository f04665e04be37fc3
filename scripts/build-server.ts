// `npm run build:server [-- --arch x64|arm64] [--bundle-only]` (bin/build-server.js): the operator
// CLI and the release server daemon as one multi-call executable per architecture,
// dist/asg-release-linux-<arch>. Run as `asg-release` it is the CLI; through a symlink named
// `asg-release-server`, the daemon (cli/multicall.ts).
//   1. esbuild bundles cli/multicall.ts and everything it imports into dist/asg-release-multicall.cjs;
//   2. the bundle becomes a Node single-executable application on the pinned Node 24 binary of each
//      architecture (scripts/build/sea.ts), as the agent does.
import { mkdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { bundle } from "./build/bundle.js";
import { buildSea } from "./build/sea.js";
import { parseBuildOptions, type Arch } from "./build/targets.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const bundleFile = join(dist, "asg-release-multicall.cjs");

/** dist/asg-release-linux-<arch>. */
export const serverExecutable = (arch: Arch): string => join(dist, `asg-release-linux-${arch}`);

const say = (msg: string) => process.stderr.write(`build-server: ${msg}\n`);
const mib = (file: string) => `${Math.round(statSync(file).size / 1024 / 1024)} MiB`;

export async function main(argv: string[]): Promise<void> {
  const opts = parseBuildOptions(argv);
  mkdirSync(dist, { recursive: true });

  await bundle({ root, entry: "cli/multicall.ts", outfile: bundleFile });
  say(`bundled ${relative(root, bundleFile)} (${Math.round(statSync(bundleFile).size / 1024)} KiB)`);
  if (opts.bundleOnly) return;

  for (const arch of opts.archs) {
    const output = serverExecutable(arch);
    await buildSea({ root, bundle: bundleFile, arch, output, workDir: join(dist, `.sea-server-${arch}`) });
    say(`wrote ${relative(root, output)} (${mib(output)})`);
  }
}
