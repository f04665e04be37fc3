#!/usr/bin/env node
// `asg-release-server`: the release server's daemon and init (release-server/main.ts), from its bundle in dist/ when fresh, else through tsx (run.js).
import { run } from "./run.js";

await run("asg-release-server.cjs", "../release-server/main.ts");
