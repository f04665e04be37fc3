#!/usr/bin/env node
// `asg-release`: the operator's CLI (cli/main.ts), from its bundle in dist/ when fresh, else through tsx (run.js).
import { run } from "./run.js";

await run("asg-release.cjs", "../cli/main.ts");
