// `asg-release-agent`: the boot agent run by systemd on every instance. The only file of the agent
// that reads process.env and argv; exit codes: 0 ready, 1 failed (systemd may retry), 2 bad config.
import { Command } from "commander";
import { createAwsClients } from "#shared/aws/clients.js";
import { runProgram } from "#shared/cli/run-command.js";
import { AGENT_CONFIG_PATH, loadAgentConfig } from "#shared/config/agent.js";
import { createLogger } from "#shared/log.js";
import { systemClock } from "#shared/poll.js";
import type { Run } from "#shared/proc/run.js";
import { versionLine } from "#shared/version.js";
import { boot } from "./boot.js";
import { defaultHostPaths } from "./context.js";
import { formatStatus, readStatus } from "./state.js";
import { hostImds } from "#shared/aws/imds.js";

export const DEFAULT_STATUS_FILE = "/run/asg-release/status.json";

/**
 * The process runner, loaded with execa on the first command the boot runs: the start of a boot, up
 * to its first metadata request, has no use for it.
 */
const run: Run = async (argv, opts) => (await import("#shared/proc/run.js")).run(argv, opts);

async function bootCommand(opts: { config: string; logLevel: string }): Promise<void> {
  const config = await loadAgentConfig(opts.config);
  const log = createLogger({ name: "asg-release-agent", level: opts.logLevel });
  const ac = new AbortController();
  // systemd stops a start that overruns TimeoutStartSec with SIGTERM: stop waiting and report.
  const onSignal = (sig: string) => ac.abort(new Error(`received ${sig}`));
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  try {
    await boot(
      {
        config,
        log,
        run,
        clock: systemClock,
        paths: defaultHostPaths,
        signal: ac.signal,
        ...(process.env.NOTIFY_SOCKET ? { notifySocket: process.env.NOTIFY_SOCKET } : {}),
      },
      {
        imds: hostImds(),
        makeAws: (region) => createAwsClients({ region }),
      },
    );
  } finally {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  }
}

async function statusCommand(opts: { json?: boolean; file: string }): Promise<void> {
  const status = await readStatus(opts.file);
  if (!status) {
    process.stderr.write(`no status at ${opts.file}: the agent has not run since boot\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(opts.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
  process.exitCode = status.state === "ready" ? 0 : 1;
}

export function buildProgram(): Command {
  const program = new Command("asg-release-agent")
    .description(
      "Boot agent: mount the current release at /release, run the component's image, report readiness",
    )
    .version(versionLine("asg-release-agent"))
    .showHelpAfterError();
  program
    .command("boot")
    .description("find the current release, mount it, run the container, and report ready (idempotent)")
    .option("-c, --config <file>", "agent configuration", AGENT_CONFIG_PATH)
    .option("--log-level <level>", "pino log level", "info")
    .action(bootCommand);
  program
    .command("status")
    .description("print what the last boot did (exit 0 when ready)")
    .option("--json", "print the status file as JSON")
    .option("--file <file>", "status file", DEFAULT_STATUS_FILE)
    .action(statusCommand);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await runProgram(buildProgram(), argv);
}
