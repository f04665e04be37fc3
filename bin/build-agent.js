#!/usr/bin/env node
// `npm run build:agent [-- --bundle-only]`: the boot agent as one executable (scripts/build-agent.ts).
import { runTs } from "./run-ts.js";

await runTs("../scripts/build-agent.ts");
