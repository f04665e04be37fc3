// Options the deploy-path commands share (plan, deploy, destroy, lock), parsed the same way.
import { InvalidArgumentError, type Command } from "commander";
import { nameProblem } from "#shared/naming/names.js";

export const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
];

export function parseProject(value: string): string {
  const problem = nameProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return value;
}

export function parseSeconds(value: string): number {
  if (!/^\d+$/.test(value))
    throw new InvalidArgumentError(`expected a whole number of seconds, got ${JSON.stringify(value)}`);
  return Number(value);
}

export function withTargetOptions(cmd: Command): Command {
  return cmd
    .requiredOption("--env <file>", "target environment file; repeat to merge, later files win", collect)
    .requiredOption("--project <name>", "project name", parseProject);
}

/** The options of every command that changes the fleet (deploy, destroy, rollback). */
export function withApplyOptions(cmd: Command): Command {
  return cmd
    .option(
      "--lock-wait <seconds>",
      "wait this long for another deploy of the project to finish",
      parseSeconds,
      0,
    )
    .option("-y, --yes", "apply without asking");
}

/** The command line as the lock records it. */
export function commandLine(argv: readonly string[]): string {
  return ["asg-release", ...argv.slice(2)].join(" ");
}
