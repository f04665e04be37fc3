// One executable's bundle: esbuild packs an entry module (which exports main(argv)) and everything it
// imports into one minified CommonJS file, the only form a Node single-executable application can run.
// Beside it, `<outfile>.stamp` records what it was built from, for bin/run.js's freshness check.
import { rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

export interface BundleOptions {
  /** Repository root: entry paths and node_modules resolve from here. */
  root: string;
  /** The entry module, relative to root; it exports `main(argv)`. */
  entry: string;
  outfile: string;
  /** Default true; false keeps names and layout readable (tests inspect what a run executed). */
  minify?: boolean;
}

export interface BundleResult {
  /** Every module in the bundle, as esbuild names them (paths relative to root). */
  modules: string[];
  /** The repository's files the bundle was built from (relative to root, node_modules left out). */
  inputs: string[];
  /** Whether `<outfile>.stamp` was written (not when an input changed while esbuild read it). */
  stamped: boolean;
}

/** Files outside the module graph whose change also makes a bundle stale. */
const BUILD_INPUTS = [
  "package-lock.json",
  "node_modules/.package-lock.json",
  "tsconfig.json",
  "scripts/build/bundle.ts",
];

export async function bundle(options: BundleOptions): Promise<BundleResult> {
  const stamp = `${options.outfile}.stamp`;
  rmSync(stamp, { force: true });
  const startedAt = Date.now();
  const result = await build({
    // An entry that runs main(): the entry modules only export it, so tests can import them.
    stdin: {
      contents: `import { main } from "./${options.entry}";\nvoid main(process.argv.slice(2));\n`,
      resolveDir: options.root,
      sourcefile: "entry.ts",
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node22",
    // A single-executable application has no ESM loader: import() fails there with
    // ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING. The SDK's lazy `await import("node:http")` becomes require().
    supported: { "dynamic-import": false },
    outfile: options.outfile,
    // The SDK's ES module builds (package.json "module") let esbuild drop the hundreds of commands an
    // executable never sends; the CommonJS builds would be kept whole. Smaller bundle, faster start.
    mainFields: ["module", "main"],
    minify: options.minify ?? true,
    // Error classes take their name from the constructor (shared/errors.ts): keep names through minify.
    keepNames: true,
    legalComments: "none",
    logLevel: "warning",
    absWorkingDir: options.root,
    metafile: true,
  });
  const modules = Object.keys(result.metafile.inputs).filter((file) => file !== "<stdin>");
  const inputs = modules.filter((file) => !file.split("/").includes("node_modules"));
  // A stamp is the mtime of every input (bin/run.js compares them for equality: cheap, and it sees an
  // edit, a checkout and a deletion). An input touched since the build started may have been read
  // before the change: no stamp then, and bin/ runs the sources until the next build.
  const mtimes: Record<string, number> = {};
  let stamped = true;
  for (const file of [...inputs, ...BUILD_INPUTS]) {
    const mtime = statSync(join(options.root, file), { throwIfNoEntry: false })?.mtimeMs;
    if (mtime === undefined) continue;
    if (mtime >= startedAt - CLOCK_SLACK_MS) stamped = false;
    mtimes[file] = mtime;
  }
  if (stamped) writeFileSync(stamp, `${JSON.stringify({ inputs: mtimes })}\n`);
  return { modules, inputs, stamped };
}

/** File times come from a coarser clock that lags Date.now() by up to a tick. */
const CLOCK_SLACK_MS = 20;
