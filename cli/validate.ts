// `asg-release validate [--env FILE...] [--model FILE] [--project NAME] [--server FILE] [--agent FILE]`:
// checks the inputs of a deploy, the release server's configuration and the agent's, without any AWS
// call. Exit 0 with a one-line summary, or 2 with one line per issue (FILE:LINE:COL).
import type { Command } from "commander";
import type { Environment } from "#shared/config/environment.js";
import type { LoadedModel } from "#shared/config/model.js";
import { ConfigError, formatIssue, type ConfigIssue } from "#shared/errors.js";
import { parseProject } from "./deploy-options.js";

interface ValidateOptions {
  env?: string[];
  server?: string;
  agent?: string;
  model?: string;
  project?: string;
}

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description(
      "check environment files, an application model, a project name, and the release server's and agent's configuration (no AWS calls)",
    )
    .option(
      "--env <file>",
      "target environment file (Skopos environment or bare ec2-asg record); repeat to merge, later files win",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option("--model <file>", "application model in the Skopos model format")
    .option("--project <name>", "project name, to check the names it gives Auto Scaling groups", parseProject)
    .option("--server <file>", "the release server's configuration (server.yaml)")
    .option("--agent <file>", "the agent's configuration (agent.yaml)")
    // Usage errors must reach runProgram (exit 2); the root's exitOverride does not reach commands
    // created before it is set.
    .exitOverride()
    .action(async (opts: ValidateOptions, command: Command) => {
      const env = opts.env ?? [];
      // --model and --project are read with the environment; --server and --agent stand alone.
      if (
        env.length === 0 &&
        (opts.model !== undefined || opts.project !== undefined || !(opts.server || opts.agent))
      )
        command.error(
          opts.server || opts.agent || opts.model !== undefined || opts.project !== undefined
            ? "error: required option '--env <file>' not specified"
            : "error: nothing to check: give --env, --server or --agent",
          { exitCode: 2 },
        );
      const issues: ConfigIssue[] = [];
      const parts: string[] = [];
      if (env.length > 0) {
        const { validateInputs } = await import("#shared/config/validate-inputs.js");
        const result = await validateInputs({ envFiles: env, modelFile: opts.model, project: opts.project });
        issues.push(...result.issues);
        if (result.environment) parts.push(...inputsSummary(opts, env, result.environment, result.model));
      }
      const files = await import("#shared/config/validate-files.js");
      if (opts.server !== undefined) {
        const { config, issues: found } = await files.validateServerFile(opts.server);
        issues.push(...found);
        if (config)
          parts.push(
            `server ${opts.server} (project ${config.project}, listen ${config.listen.address}:${config.listen.port})`,
          );
      }
      if (opts.agent !== undefined) {
        const { config, issues: found } = await files.validateAgentFile(opts.agent);
        issues.push(...found);
        if (config)
          parts.push(`agent ${opts.agent} (project ${config.project}, container ${config.container.name})`);
      }
      if (issues.some((i) => i.severity === "error")) throw new ConfigError(issues);
      const warnings = issues.length;
      for (const warning of issues) process.stderr.write(`${formatIssue(warning)}\n`);
      process.stdout.write(
        `valid: ${parts.join("; ")}${warnings > 0 ? `; ${plural(warnings, "warning")}` : ""}\n`,
      );
    });
}

function inputsSummary(
  opts: ValidateOptions,
  envFiles: string[],
  env: Environment,
  model: LoadedModel | undefined,
): string[] {
  const config = env.ec2Asg;
  const lbs = Object.values(config.lb).filter((b) => b !== null).length;
  const mode = env.limitedPermissions
    ? "limited-permissions mode"
    : `launch ${config.launch_config?.kind === "configuration" ? "configurations" : "templates"}`;
  const parts = [`environment ${envFiles.join(" + ")} (${mode}, ${plural(lbs, "lb binding")})`];
  if (model && opts.model !== undefined) {
    const components = Object.keys(model.model.components).length;
    const gateways = Object.keys(model.model.gateways).length;
    parts.push(`model ${opts.model} (${plural(components, "component")}, ${plural(gateways, "gateway")})`);
  }
  if (opts.project !== undefined) parts.push(`project ${opts.project}`);
  return parts;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
