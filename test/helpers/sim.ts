// Test helpers around the local region: SDK clients and the AWS CLI pointed at a running sim.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createAwsClients, type AwsClients } from "../../shared/aws/clients.js";
import type { SimHandle } from "../../sim/index.js";

const run = promisify(execFile);

export function simClients(sim: SimHandle, opts: { maxAttempts?: number } = {}): AwsClients {
  return createAwsClients({
    region: sim.region,
    endpoint: sim.endpoint,
    credentials: sim.credentials,
    maxAttempts: opts.maxAttempts ?? 3,
  });
}

/** Runs the AWS CLI against the sim; resolves stdout parsed as JSON (or {} when empty). */
export async function awsCli(sim: SimHandle, args: string[]): Promise<unknown> {
  const { stdout } = await run("aws", ["--endpoint-url", sim.endpoint, "--output", "json", ...args], {
    env: {
      ...process.env,
      ...sim.env(),
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    },
  });
  return stdout.trim() ? (JSON.parse(stdout) as unknown) : {};
}

/** Runs the AWS CLI expecting failure; resolves its stderr. */
export async function awsCliError(sim: SimHandle, args: string[]): Promise<string> {
  try {
    await awsCli(sim, args);
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? err);
  }
  throw new Error(`aws ${args.join(" ")} succeeded, expected failure`);
}
