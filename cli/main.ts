// `asg-release`: the operator's CLI. One file per command in cli/, registered below. A command's file
// declares its options at the top level and imports its implementation with import() in its action,
// so --help, --version and validate load no AWS SDK client (the bundle keeps those imports lazy).
import { Command } from "commander";
import { runProgram } from "#shared/cli/run-command.js";
import { version } from "#shared/version.js";
import { registerDeploy } from "./deploy.js";
import { registerDestroy } from "./destroy.js";
import { registerIamPolicy } from "./iam-policy.js";
import { registerLock } from "./lock.js";
import { registerPlan } from "./plan.js";
import { registerPublish } from "./publish.js";
import { registerRollback } from "./rollback.js";
import { registerSchema } from "./schema.js";
import { registerSim } from "./sim.js";
import { registerStatus } from "./status.js";
import { registerTeardown } from "./teardown.js";
import { registerValidate } from "./validate.js";

export function buildProgram(): Command {
  const program = new Command("asg-release")
    .description("Releases and deploys for EC2 Auto Scaling fleets")
    .version(version)
    .showHelpAfterError();
  registerSim(program);
  registerPublish(program);
  registerStatus(program);
  registerValidate(program);
  registerPlan(program);
  registerDeploy(program);
  registerDestroy(program);
  registerRollback(program);
  registerLock(program);
  registerTeardown(program);
  registerIamPolicy(program);
  registerSchema(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await runProgram(buildProgram(), argv);
}
