#!/usr/bin/env node
// `npm run demo` (through scripts/demo, which installs what the demo needs first).
import { runTs } from "./run-ts.js";

await runTs("../scripts/demo.ts");
