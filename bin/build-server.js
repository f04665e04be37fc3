#!/usr/bin/env node
// `npm run build:server [-- --arch x64|arm64] [--bundle-only]`: the CLI and the release server as one
// executable per architecture (scripts/build-server.ts).
import { runTs } from "./run-ts.js";

await runTs("../scripts/build-server.ts");
