// One executable's bundle: esbuild packs an entry module (which exports main(argv)) and everything it
// imports into one minified CommonJS file, the only form a Node single-executable application can run.
import { build } from "esbuild";

export interface BundleOptions {
  /** Repository root: entry paths and node_modules resolve from here. */
  root: string;
  /** The entry module, relative to root; it exports `main(argv)`. */
  entry: string;
  outfile: string;
}

export async function bundle(options: BundleOptions): Promise<void> {
  await build({
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
    minify: true,
    // Error classes take their name from the constructor (shared/errors.ts): keep names through minify.
    keepNames: true,
    legalComments: "none",
    logLevel: "warning",
  });
}
