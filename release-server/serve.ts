// The daemon as a command: `asg-release-server [--config FILE] [--state-dir DIR]`, until SIGTERM.
// Loaded by the command's action only (release-server/main.ts declares the command).
import { createLogger } from "#shared/log.js";
import { systemdNotifyArgv } from "#shared/proc/argv/systemd-notify.js";
import { run } from "#shared/proc/run.js";
import { loadServerSettings } from "./config.js";
import { startDaemon } from "./daemon.js";
import type { ServerOptions } from "./server-options.js";

export async function serve(opts: ServerOptions): Promise<void> {
  const settings = await loadServerSettings(opts.config, { stateDir: opts.stateDir });
  if (opts.reconcileEvery) settings.reconcileEveryMs = Math.max(1, Number(opts.reconcileEvery)) * 1000;
  const log = createLogger({ name: "asg-release-server", level: process.env.LOG_LEVEL ?? "info" });
  const daemon = await startDaemon(settings, log);
  // Under systemd (Type=notify), `systemctl start` returns once the API answers, so a command run
  // right after it (a publish, a status) finds the daemon listening.
  if (process.env.NOTIFY_SOCKET) {
    await run(systemdNotifyArgv({ ready: true, status: "API listening" }), { timeoutMs: 10_000 }).catch(
      (err: unknown) => log.warn({ err }, "could not tell systemd the daemon is ready"),
    );
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, "stopping");
      void daemon.stop().then(resolve);
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
}
