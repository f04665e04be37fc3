// `asg-release teardown --project P [--region R] [--pointer-s3 BUCKET/KEY] [--yes] [--json]`: removes
// what the release path leaves in an account once the release host is gone (its volumes, the
// project's release snapshots, the pointer object), after printing the plan and a confirmation.
import type { Command } from "commander";

export interface TeardownOptions {
  project: string;
  region?: string;
  pointerS3?: string;
  yes?: boolean;
  json?: boolean;
}

export function registerTeardown(program: Command): void {
  program
    .command("teardown")
    .description("remove a project's release volumes, release snapshots and pointer (after the release host)")
    .requiredOption("--project <name>", "the project whose release resources are removed")
    .option("--region <region>", "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's)")
    .option("--pointer-s3 <bucket/key>", "also delete this release pointer object")
    .option("--yes", "do not ask for confirmation")
    .option("--json", "print the plan and the outcome as JSON")
    .exitOverride()
    .action(async (opts: TeardownOptions) => {
      const { runTeardown } = await import("./teardown-run.js");
      await runTeardown(opts);
    });
}
