// Test helpers around the local region: SDK clients, the AWS CLI and the asg-release CLI pointed at a
// running sim.
import { DescribeInstancesCommand, type Instance } from "@aws-sdk/client-ec2";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { createAwsClients, type AwsClients } from "#shared/aws/clients.js";
import type { SimHandle } from "../../sim/index.js";

const run = promisify(execFile);
const ASG_RELEASE = join(import.meta.dirname, "..", "..", "bin", "asg-release.js");

/** The sim's credentials and endpoints, and no AWS config or credentials file of the machine. */
const simEnv = (sim: SimHandle) => ({
  ...process.env,
  ...sim.env(),
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
});

export function simClients(sim: SimHandle, opts: { maxAttempts?: number } = {}): AwsClients {
  return createAwsClients({
    region: sim.region,
    endpoint: sim.endpoint,
    credentials: sim.credentials,
    maxAttempts: opts.maxAttempts ?? 3,
  });
}

/** The one instance DescribeInstances returns for `id`. */
export async function describeInstance(aws: AwsClients, id: string): Promise<Instance> {
  const out = await aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return out.Reservations![0]!.Instances![0]!;
}

/** Runs the AWS CLI against the sim; resolves stdout parsed as JSON (or {} when empty). */
export async function awsCli(sim: SimHandle, args: string[]): Promise<unknown> {
  const { stdout } = await run("aws", ["--endpoint-url", sim.endpoint, "--output", "json", ...args], {
    env: simEnv(sim),
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

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the asg-release CLI against the sim; resolves its exit code and output, whatever the code. */
export async function asgRelease(sim: SimHandle, args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [ASG_RELEASE, ...args], { env: simEnv(sim) });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as CliResult;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
