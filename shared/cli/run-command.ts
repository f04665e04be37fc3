// Runs a CLI program and turns errors into the exit-code contract: 0 ok, 1 failed, 2 bad input.
import { CommanderError, type Command } from "commander";
import { ConfigError, exitCodeOf, formatIssue, messageOf } from "../errors.js";

export async function runProgram(program: Command, argv: string[]): Promise<void> {
  // Every subcommand too: commander applies exitOverride only to commands made after the call.
  const override = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.commands.forEach(override);
  };
  override(program);
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    process.exitCode = reportError(err);
  }
}

/** Prints an error the way an operator needs it and returns the exit code. */
export function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    // Commander has printed its own message (or the help text) already.
    if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.exitCode === 0)
      return 0;
    return 2;
  }
  if (err instanceof ConfigError) {
    for (const issue of err.issues) process.stderr.write(`${formatIssue(issue)}\n`);
    if (err.issues.length === 0) process.stderr.write(`${err.message}\n`);
    return 2;
  }
  process.stderr.write(`error: ${messageOf(err)}\n`);
  return exitCodeOf(err);
}
