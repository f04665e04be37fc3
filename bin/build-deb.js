#!/usr/bin/env node
// `npm run build:deb [-- --arch x64|arm64] [--fast]`: the Debian packages into dist/deb/ (scripts/build-deb.ts).
import { runTs } from "./run-ts.js";

await runTs("../scripts/build-deb.ts");
