// Loads a TypeScript entry point through tsx, so the executables run from a fresh clone with no build step.
import { register } from "tsx/esm/api";

export async function runTs(entry) {
  register();
  const mod = await import(new URL(entry, import.meta.url).href);
  try {
    await mod.main(process.argv.slice(2));
  } catch (err) {
    // The product's programs report their own errors; this gives the build scripts and benchmarks
    // the same contract: one line, exit 2 for bad input, 1 for a failure.
    const { reportError } = await import("#shared/cli/run-command.js");
    process.exitCode = reportError(err);
  }
}
