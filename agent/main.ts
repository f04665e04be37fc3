// `asg-release-agent`: the boot agent run by systemd on every instance. The only file of the agent
// that reads process.env and argv; exit codes: 0 ready, 1 failed (systemd may retry), 2 bad config.
import { Command } from "commander";
import { createAwsClients } from "#shared/aws/clients.js";
import { runProgram } from "#shared/cli/run-command.js";
import { AGENT_CONFIG_PATH, loadAgentConfig, type AgentConfig } from "#shared/config/agent.js";
import { ConfigError } from "#shared/errors.js";
import { createLogger } from "#shared/log.js";
import { systemClock } from "#shared/poll.js";
import type { Run } from "#shared/proc/run.js";
import { versionLine } from "#shared/version.js";
import { boot } from "./boot.js";
import { reportConfigFailure } from "./early-abandon.js";
import { defaultHostPaths } from "./context.js";
import { DEFAULT_STATUS_FILE, formatStatus, readStatus } from "./state.js";
import { createImds, hostImds } from "#shared/aws/imds.js";

export { DEFAULT_STATUS_FILE };

/**
 * The process runner, loaded with execa on the first command the boot runs: the start of a boot, up
 * to its first metadata request, has no use for it.
 */
const run: Run = async (argv, opts) => (await import("#shared/proc/run.js")).run(argv, opts);

async function bootCommand(opts: { config: string; logLevel: string }): Promise<void> {
  const log = createLogger({ name: "asg-release-agent", level: opts.logLevel });
  const notifySocket = process.env.NOTIFY_SOCKET;
  const makeAws = (region: string) => createAwsClients({ region });
  let config: AgentConfig;
  try {
    config = await loadAgentConfig(opts.config);
  } catch (err) {
    // Still a boot that failed: the launch hook hears of it when it can be known.
    if (err instanceof ConfigError) {
      await reportConfigFailure({
        file: opts.config,
        err,
        // A few seconds at most: on a host without IMDS there is nobody to tell.
        imds: createImds({ retries: 2, timeoutMs: 1000 }),
        makeAws,
        log,
        run,
        now: () => new Date(),
        ...(notifySocket ? { notifySocket } : {}),
      });
    }
    throw err;
  }
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
        ...(notifySocket ? { notifySocket } : {}),
      },
      { imds: hostImds(), makeAws },
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
