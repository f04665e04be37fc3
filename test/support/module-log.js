// Preload for `node --import`: appends the URL of every module the ESM loader resolves to the file
// named by MODULE_LOG, so a test can tell which modules a command loaded. Registered before tsx, so
// it sees tsx's answers (the .ts files).
import { register } from "node:module";

register("./module-log-hooks.js", import.meta.url, { data: { file: process.env.MODULE_LOG } });
