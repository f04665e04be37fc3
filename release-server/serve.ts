// The daemon as a command: `asg-release-server [--config FILE] [--state-dir DIR]`, until SIGTERM.
import type { Command } from "commander";
import { createLogger } from "#shared/log.js";
import { DEFAULT_STATE_DIR, defaultServerConfigPath, loadServerSettings } from "./config.js";
import { startDaemon } from "./daemon.js";

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

export async function serve(opts: ServerOptions): Promise<void> {
  const settings = await loadServerSettings(opts.config, { stateDir: opts.stateDir });
  if (opts.reconcileEvery) settings.reconcileEveryMs = Math.max(1, Number(opts.reconcileEvery)) * 1000;
  const log = createLogger({ name: "asg-release-server", level: process.env.LOG_LEVEL ?? "info" });
  const daemon = await startDaemon(settings, log);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, "stopping");
      void daemon.stop().then(resolve);
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
}
