// Runs an executable: its bundle in dist/ when that is fresh, else its TypeScript entry through tsx.
// Fresh means a build made it (npm run build) and every file it was built from still has the
// modification time recorded in `<bundle>.stamp` (scripts/build/bundle.ts); an edit, a checkout or a
// deletion since then sends the run to the sources. ASG_RELEASE_FROM_SOURCE=1 always runs the
// sources (the test suite sets it). The check is one small read and a stat per source file: a few
// milliseconds at most.
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Runs dist/`bundle` (a CommonJS file that calls main itself) or `entry`'s main() through tsx. */
export async function run(bundle, entry) {
  const file = `${root}dist/${bundle}`;
  if (process.env.ASG_RELEASE_FROM_SOURCE !== "1" && fresh(file)) {
    const require = createRequire(import.meta.url);
    // Node keeps the compiled bundle on disk (os.tmpdir()/node-compile-cache): later starts skip
    // parsing and compiling megabytes of JavaScript.
    require("node:module").enableCompileCache?.();
    require(file);
    return;
  }
  const { runTs } = await import("./run-ts.js");
  await runTs(entry);
}

function fresh(file) {
  let stamp;
  try {
    statSync(file);
    stamp = JSON.parse(readFileSync(`${file}.stamp`, "utf8"));
  } catch {
    return false;
  }
  for (const [input, mtime] of Object.entries(stamp.inputs)) {
    if (statSync(`${root}${input}`, { throwIfNoEntry: false })?.mtimeMs !== mtime) return false;
  }
  return true;
}
