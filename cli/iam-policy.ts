// `asg-release iam-policy --env E [--env E2] [--model M] [--role deploy|instance|release-server|all]
// [--project P] [--pointer-s3 BUCKET/KEY]`: prints the least-privilege IAM policy documents for the
// configured features. Nothing is called in AWS.
import { InvalidArgumentError, type Command } from "commander";
import { ConfigError, formatIssue } from "#shared/errors.js";
import { collect, parseProject } from "./deploy-options.js";
import { roles, type Role } from "../release-server/iam/roles.js";

interface IamPolicyOptions {
  env: string[];
  model?: string;
  role: Role | "all";
  project?: string;
  pointerS3?: string;
}

const parseRole = (value: string): Role | "all" => {
  if (value === "all" || (roles as readonly string[]).includes(value)) return value as Role | "all";
  throw new InvalidArgumentError(`expected one of ${[...roles, "all"].join(", ")}`);
};

const parseObject = (value: string): string => {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/.test(value))
    throw new InvalidArgumentError('expected an S3 location "bucket/key"');
  return value;
};

export function registerIamPolicy(program: Command): void {
  program
    .command("iam-policy")
    .description("print the least-privilege IAM policies for the configured features; nothing is called")
    .requiredOption("--env <file>", "target environment file; repeat to merge, later files win", collect)
    .option("--model <file>", "application model (narrows the policy to its components and images)")
    .option("--role <role>", "deploy, instance, release-server or all", parseRole, "all")
    .option("--project <name>", "confine group changes to this project's groups", parseProject)
    .option(
      "--pointer-s3 <bucket/key>",
      "the release pointer's S3 object (instance and release-server roles)",
      parseObject,
    )
    .exitOverride()
    .action(async (opts: IamPolicyOptions) => {
      const { validateInputs } = await import("#shared/config/validate-inputs.js");
      const { rolePolicy } = await import("../release-server/iam/generate.js");
      const result = await validateInputs({
        envFiles: opts.env,
        ...(opts.model ? { modelFile: opts.model } : {}),
        ...(opts.project ? { project: opts.project } : {}),
      });
      if (!result.environment) throw new ConfigError(result.issues);
      for (const issue of result.issues) process.stderr.write(`${formatIssue(issue)}\n`);
      const req = {
        environment: result.environment,
        ...(result.model ? { model: result.model.model } : {}),
        ...(opts.project ? { project: opts.project } : {}),
        ...(opts.pointerS3 ? { pointerObject: opts.pointerS3 } : {}),
      };
      const out =
        opts.role === "all"
          ? Object.fromEntries(roles.map((r) => [r, rolePolicy(r, req)]))
          : rolePolicy(opts.role, req);
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    });
}
