// `asg-release validate --env FILE [--env FILE...] [--model FILE] [--project NAME]`: checks the inputs
// of a deploy without any AWS call. Exit 0 with a one-line summary, or 2 with one line per issue.
import type { Command } from "commander";
import type { Environment } from "#shared/config/environment.js";
import type { LoadedModel } from "#shared/config/model.js";
import { ConfigError, formatIssue } from "#shared/errors.js";
import { parseProject } from "./deploy-options.js";

interface ValidateOptions {
  env: string[];
  model?: string;
  project?: string;
}

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("check environment files, an application model and a project name (no AWS calls)")
    .requiredOption(
      "--env <file>",
      "target environment file (Skopos environment or bare ec2-asg record); repeat to merge, later files win",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option("--model <file>", "application model in the Skopos model format")
    .option("--project <name>", "project name, to check the names it gives Auto Scaling groups", parseProject)
    // Usage errors must reach runProgram (exit 2); the root's exitOverride does not reach commands
    // created before it is set.
    .exitOverride()
    .action(async (opts: ValidateOptions) => {
      const { validateInputs } = await import("#shared/config/validate-inputs.js");
      const result = await validateInputs({
        envFiles: opts.env,
        modelFile: opts.model,
        project: opts.project,
      });
      if (!result.environment) throw new ConfigError(result.issues);
      for (const warning of result.issues) process.stderr.write(`${formatIssue(warning)}\n`);
      process.stdout.write(`${summary(opts, result.environment, result.model, result.issues.length)}\n`);
    });
}

function summary(
  opts: ValidateOptions,
  env: Environment,
  model: LoadedModel | undefined,
  warnings: number,
): string {
  const config = env.ec2Asg;
  const lbs = Object.values(config.lb).filter((b) => b !== null).length;
  const mode = env.limitedPermissions
    ? "limited-permissions mode"
    : `launch ${config.launch_config?.kind === "configuration" ? "configurations" : "templates"}`;
  const parts = [`environment ${opts.env.join(" + ")} (${mode}, ${plural(lbs, "lb binding")})`];
  if (model && opts.model !== undefined) {
    const components = Object.keys(model.model.components).length;
    const gateways = Object.keys(model.model.gateways).length;
    parts.push(`model ${opts.model} (${plural(components, "component")}, ${plural(gateways, "gateway")})`);
  }
  if (opts.project !== undefined) parts.push(`project ${opts.project}`);
  return `valid: ${parts.join("; ")}${warnings > 0 ? `; ${plural(warnings, "warning")}` : ""}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
