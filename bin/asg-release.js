#!/usr/bin/env node
import { runTs } from "./run-ts.js";

await runTs("../release-server/cli/main.ts");
