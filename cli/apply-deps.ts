// What the commands that change the fleet run with: the production ports, and on a terminal a
// confirmation before the plan is applied. Loaded by their actions only (it brings the SDK clients).
import { createInterface } from "node:readline/promises";
import { applyCommand, type ApplyOptions, type CommandDeps } from "../release-server/deploy/command.js";
import { defaultDeps } from "../release-server/deploy/defaults.js";

/** Plans, confirms and applies under the project's lock (release-server/deploy/command.ts). */
export async function apply(opts: ApplyOptions): Promise<void> {
  await applyCommand(opts, applyDeps());
}

export function applyDeps(): CommandDeps {
  return {
    ...defaultDeps(process.env, Boolean(process.stdout.isTTY)),
    ...(process.stdin.isTTY ? { confirm: askOnTerminal } : {}),
  };
}

export async function askOnTerminal(): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question("Apply this plan? [y/N] ")).trim());
  } finally {
    rl.close();
  }
}
