#!/usr/bin/env node
// `npm run build:agent [-- --arch x64|arm64] [--bundle-only]`: the boot agent as one executable per
// architecture (scripts/build-agent.ts).
import { runTs } from "./run-ts.js";

await runTs("../scripts/build-agent.ts");
