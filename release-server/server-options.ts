// The options the daemon and `init` share, declared without loading the daemon or the config schema
// (`--help` and `--version` stay fast).
import type { Command } from "commander";
import { defaultServerConfigPath } from "#shared/config/server-path.js";

export const DEFAULT_STATE_DIR = "/var/lib/asg-release-server";

export interface ServerOptions {
  config: string;
  stateDir: string;
  /** Seconds between scheduled reconciles (daemon only). */
  reconcileEvery?: string;
}

export function addServerOptions(cmd: Command): Command {
  return cmd
    .option("-c, --config <file>", "server configuration", defaultServerConfigPath)
    .option("--state-dir <dir>", "journal, pointer and status files", DEFAULT_STATE_DIR);
}
