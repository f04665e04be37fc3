// `asg-release-server`: the release host's daemon and its setup command.
import { Command } from "commander";
import { runProgram } from "../shared/cli/run-command.js";
import { version } from "../shared/version.js";

export function buildProgram(): Command {
  return new Command("asg-release-server")
    .description(
      "Release server: watch a code tree, snapshot it, publish the release and push it to every ASG member",
    )
    .version(version)
    .showHelpAfterError();
}

export async function main(argv: string[]): Promise<void> {
  await runProgram(buildProgram(), argv);
}
