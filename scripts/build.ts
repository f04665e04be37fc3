// `npm run build` (bin/build.js): the three executables' bundles in dist/, with esbuild, offline, in a
// few seconds. bin/asg-release.js, bin/asg-release-server.js and bin/asg-release-agent.js run them
// while they are fresh (bin/run.js); `npm run build:agent` makes the agent's single executable.
import { mkdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleAll } from "./build/bundle.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Entry module -> bundle in dist/ (the bin/ launchers and the agent's executable build use these names). */
export const BUNDLES = [
  { entry: "cli/main.ts", outfile: "dist/asg-release.cjs" },
  { entry: "release-server/main.ts", outfile: "dist/asg-release-server.cjs" },
  { entry: "agent/main.ts", outfile: "dist/agent.cjs" },
] as const;

const say = (msg: string) => process.stderr.write(`build: ${msg}\n`);

export async function main(): Promise<void> {
  mkdirSync(join(root, "dist"), { recursive: true });
  const started = Date.now();
  const results = await bundleAll(
    root,
    BUNDLES.map((b) => ({ entry: b.entry, outfile: join(root, b.outfile) })),
  );
  for (const r of results) {
    const kib = Math.round(statSync(r.outfile).size / 1024);
    const note = r.stamped
      ? ""
      : " (a source changed during the build: bin/ runs the sources until the next build)";
    say(`${relative(root, r.outfile)} (${kib} KiB, ${r.inputs.length} source files)${note}`);
  }
  say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
