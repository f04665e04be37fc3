// The single-executable step shared by every executable: a CommonJS bundle (scripts/build/bundle.ts)
// becomes a Node single-executable application on the pinned node binary of an architecture.
//   1. that architecture's node (scripts/build/node-binary.ts) turns the bundle into a blob with
//      --experimental-sea-config; a V8 code cache is only valid for the node binary that made it,
//      so a foreign architecture's node makes its own blob under qemu (scripts/build/targets.ts);
//   2. a copy of the same node binary gets the blob injected with postject.
// Reproducible: V8 seeds its hash tables at random and compiles on background threads, so two code
// caches of the same bundle differ; --predictable (fixed seeds, one thread) makes the blob the same
// bytes every time, and the runtime accepts its cache (a rejected one prints "Code cache data
// rejected"). A startup snapshot (useSnapshot) cannot be built from these bundles: modules they load
// hold native handles at load time (docs/design.md#tooling).
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "#shared/proc/run.js";
import { nodeBinary } from "./node-binary.js";
import { runnerFor, type Arch } from "./targets.js";

// The fuse postject flips so node knows a blob is inside (documented in Node's "Single executable applications").
const SENTINEL_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

export interface SeaOptions {
  /** Repository root (package-lock.json, node_modules). */
  root: string;
  /** The CommonJS bundle to embed. */
  bundle: string;
  arch: Arch;
  output: string;
  /** A scratch directory for the SEA configuration and the blob; it is removed. */
  workDir: string;
  /** The node binary to build on; default the pinned one of `arch`. */
  node?: string;
  /** Embed a V8 code cache of the bundle (default true). */
  useCodeCache?: boolean;
}

export async function buildSea(o: SeaOptions): Promise<void> {
  const node = o.node ?? (await nodeBinary(o.root, o.arch));
  mkdirSync(o.workDir, { recursive: true });
  const blob = join(o.workDir, `${o.arch}.blob`);
  const config = join(o.workDir, `${o.arch}.sea-config.json`);
  writeFileSync(
    config,
    `${JSON.stringify(
      {
        main: o.bundle,
        output: blob,
        disableExperimentalSEAWarning: true,
        // The code cache saves compiling the bundle at every start (most of a cold start otherwise).
        useCodeCache: o.useCodeCache ?? true,
      },
      null,
      2,
    )}\n`,
  );
  await run([...runnerFor(o.arch), node, "--predictable", "--experimental-sea-config", config], {
    timeoutMs: 600_000,
  });

  rmSync(o.output, { force: true });
  copyFileSync(node, o.output);
  chmodSync(o.output, 0o755);
  // postject prints harmless ELF section warnings: run() keeps them unless it fails.
  const postject = join(o.root, "node_modules", ".bin", "postject");
  await run([postject, o.output, "NODE_SEA_BLOB", blob, "--sentinel-fuse", SENTINEL_FUSE], {
    timeoutMs: 600_000,
  });
  rmSync(o.workDir, { recursive: true, force: true });
}
