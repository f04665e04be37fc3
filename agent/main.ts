// `asg-release-agent`: the boot agent run by systemd on every instance.
import { Command } from "commander";
import { runProgram } from "../shared/cli/run-command.js";
import { version } from "../shared/version.js";

export function buildProgram(): Command {
  return new Command("asg-release-agent")
    .description(
      "Boot agent: mount the current release at /release, run the component's image, report readiness",
    )
    .version(version)
    .showHelpAfterError();
}

export async function main(argv: string[]): Promise<void> {
  await runProgram(buildProgram(), argv);
}
