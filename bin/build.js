#!/usr/bin/env node
// `npm run build`: the executables' bundles in dist/ (scripts/build.ts).
import { runTs } from "./run-ts.js";

await runTs("../scripts/build.ts");
