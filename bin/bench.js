#!/usr/bin/env node
// `npm run bench -- NAME`: runs bench/NAME.ts (or bench/NAME/index.ts). Each benchmark measures its
// baseline in the same run, prints the ratio, and ends with one line of JSON with its figures.
import { existsSync, readdirSync } from "node:fs";
import { runTs } from "./run-ts.js";

const [name, ...rest] = process.argv.slice(2);
const bench = new URL("../bench/", import.meta.url);
const available = readdirSync(bench)
  .filter((f) => f.endsWith(".ts") || existsSync(new URL(`${f}/index.ts`, bench)))
  .map((f) => f.replace(/\.ts$/, ""))
  .filter((f) => !f.startsWith("_"))
  .sort();
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- NAME\navailable: ${available.join(", ") || "(none)"}\n`);
  process.exit(2);
}
process.argv = [process.argv[0], process.argv[1], ...rest];
const entry = existsSync(new URL(`${name}.ts`, bench)) ? `../bench/${name}.ts` : `../bench/${name}/index.ts`;
await runTs(entry);
