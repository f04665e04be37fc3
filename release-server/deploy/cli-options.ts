// Options the deploy-path commands share (plan, deploy, destroy, lock), parsed the same way.
import { InvalidArgumentError, type Command } from "commander";
import { nameProblem } from "../../shared/naming/names.js";

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

/** The command line as the lock records it. */
export function commandLine(argv: readonly string[]): string {
  return ["asg-release", ...argv.slice(2)].join(" ");
}
