#!/usr/bin/env node
// `asg-release-agent`: the boot agent (agent/main.ts), from its bundle in dist/ when fresh, else through tsx (run.js).
import { run } from "./run.js";

await run("agent.cjs", "../agent/main.ts");
