// `asg-release-server`: the release host's daemon and its setup command. The commands' options are
// declared here; their implementations are imported in their actions (fast --help and --version).
import { Command } from "commander";
import { runProgram } from "#shared/cli/run-command.js";
import { version } from "#shared/version.js";
import { registerInit } from "./init/command.js";
import { registerPublicKey } from "./public-key/command.js";
import { addServerOptions, type ServerOptions } from "./server-options.js";

export function buildProgram(): Command {
  const program = new Command("asg-release-server")
    .description(
      "Release server: watch a code tree, snapshot it, publish the release and push it to every ASG member",
    )
    .version(version)
    .showHelpAfterError()
    // The daemon and `init` both take --config: without this, the daemon's would take `init --config X`.
    .enablePositionalOptions();
  addServerOptions(program)
    .option(
      "--reconcile-every <seconds>",
      "check every member and retry stragglers this often (default: fanout.reconcile_every, 60)",
    )
    .action(async (opts: ServerOptions) => {
      const { serve } = await import("./serve.js");
      await serve(opts);
    });
  registerInit(program);
  registerPublicKey(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await runProgram(buildProgram(), argv);
}
