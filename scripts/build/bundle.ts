// An executable's bundle: esbuild packs an entry module (which exports main(argv)) and everything it
// imports into one minified CommonJS file, the only form a Node single-executable application can run.
// Beside it, `<outfile>.stamp` records what it was built from, for bin/run.js's freshness check.
// bundleAll makes several in one esbuild run, which parses the modules they share once.
import { rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { build, type Plugin } from "esbuild";

export interface BundleOptions {
  /** Repository root: entry paths and node_modules resolve from here. */
  root: string;
  /** The entry module, relative to root; it exports `main(argv)`. */
  entry: string;
  /** Where the bundle goes; it must end in .cjs (bundleAll: all in one directory). */
  outfile: string;
  /** Default true; false keeps names and layout readable (tests inspect what a run executed). */
  minify?: boolean;
}

export interface BundleResult {
  outfile: string;
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

/** File times come from a coarser clock that lags Date.now() by up to a tick. */
const CLOCK_SLACK_MS = 20;

const ENTRY = "entry:";

/** The entry esbuild starts from runs main(): the entry modules only export it, so tests can import them. */
const entryPlugin = (root: string): Plugin => ({
  name: "entry",
  setup(b) {
    b.onResolve({ filter: /^entry:/ }, (args) => ({
      path: args.path.slice(ENTRY.length),
      namespace: "entry",
    }));
    b.onLoad({ filter: /.*/, namespace: "entry" }, (args) => ({
      contents: `import { main } from "./${args.path}";\nvoid main(process.argv.slice(2));\n`,
      resolveDir: root,
      loader: "ts",
    }));
  },
});

export async function bundle(options: BundleOptions): Promise<BundleResult> {
  const [result] = await bundleAll(options.root, [options], { minify: options.minify });
  return result!;
}

export async function bundleAll(
  root: string,
  targets: readonly { entry: string; outfile: string }[],
  opts: { minify?: boolean | undefined } = {},
): Promise<BundleResult[]> {
  const outdir = dirname(targets[0]!.outfile);
  for (const t of targets) {
    if (!t.outfile.endsWith(".cjs") || dirname(t.outfile) !== outdir)
      throw new Error(
        `bundle ${t.entry}: ${t.outfile} must end in .cjs, in the same directory as the others`,
      );
    rmSync(`${t.outfile}.stamp`, { force: true });
  }
  const startedAt = Date.now();
  const result = await build({
    // Each output's name without .cjs (outExtension adds it back).
    entryPoints: targets.map((t) => ({ in: `${ENTRY}${t.entry}`, out: basename(t.outfile, ".cjs") })),
    outdir,
    outExtension: { ".js": ".cjs" },
    plugins: [entryPlugin(root)],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node22",
    // A single-executable application has no ESM loader: import() fails there with
    // ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING. The SDK's lazy `await import("node:http")` becomes require(),
    // and a module reached only through import() is wrapped in an initialiser run on first use.
    supported: { "dynamic-import": false },
    // The SDK's ES module builds (package.json "module") let esbuild drop the hundreds of commands an
    // executable never sends; the CommonJS builds would be kept whole. Smaller bundle, faster start.
    mainFields: ["module", "main"],
    minify: opts.minify ?? true,
    // Error classes take their name from the constructor (shared/errors.ts): keep names through minify.
    keepNames: true,
    legalComments: "none",
    logLevel: "warning",
    absWorkingDir: root,
    metafile: true,
  });
  return targets.map((t) => {
    const output = result.metafile.outputs[relative(root, t.outfile)];
    if (!output) throw new Error(`bundle ${t.entry}: esbuild reported no ${t.outfile}`);
    const modules = Object.keys(output.inputs).filter((file) => !file.startsWith(ENTRY));
    const inputs = modules.filter((file) => !file.split("/").includes("node_modules"));
    return { outfile: t.outfile, modules, inputs, stamped: writeStamp(root, t.outfile, inputs, startedAt) };
  });
}

/**
 * The stamp is the mtime of every input (bin/run.js compares them for equality: cheap, and it sees an
 * edit, a checkout and a deletion). An input touched since the build started may have been read
 * before the change: no stamp then, and bin/ runs the sources until the next build.
 */
function writeStamp(root: string, outfile: string, inputs: string[], startedAt: number): boolean {
  const mtimes: Record<string, number> = {};
  for (const file of [...inputs, ...BUILD_INPUTS]) {
    const mtime = statSync(join(root, file), { throwIfNoEntry: false })?.mtimeMs;
    if (mtime === undefined) continue;
    if (mtime >= startedAt - CLOCK_SLACK_MS) return false;
    mtimes[file] = mtime;
  }
  writeFileSync(`${outfile}.stamp`, `${JSON.stringify({ inputs: mtimes })}\n`);
  return true;
}
