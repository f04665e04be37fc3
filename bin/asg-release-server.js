#!/usr/bin/env node
import { runTs } from "./run-ts.js";

await runTs("../release-server/main.ts");
