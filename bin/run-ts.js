// Loads a TypeScript entry point through tsx, so the executables run from a fresh clone with no build step.
import { register } from "tsx/esm/api";

export async function runTs(entry) {
  register();
  const mod = await import(new URL(entry, import.meta.url).href);
  await mod.main(process.argv.slice(2));
}
