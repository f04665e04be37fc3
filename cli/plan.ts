// `asg-release plan --model M --env E [--env E2] --project P [--replace-all] [--json]`: reads the
// state and prints what a deploy would do, with the reason for each action. Nothing is changed.
import { homedir } from "node:os";
import type { Command } from "commander";
import { createAwsClients } from "#shared/aws/clients.js";
import { ConfigError } from "#shared/errors.js";
import { collect, withTargetOptions } from "./deploy-options.js";
import { formatPlan } from "../release-server/deploy/format.js";
import { imdsHostVpc } from "../release-server/deploy/observe/home-vpc.js";
import { registryResolvers } from "#shared/registry/resolver-factory.js";
import { loadInputs, preparePlan, problemsError } from "../release-server/deploy/prepare.js";

interface PlanOptions {
  env: string[];
  model: string;
  project: string;
  replaceAll?: boolean;
  forceReplace?: string[];
  reconfigure?: boolean;
  destroy?: boolean;
  json?: boolean;
}

export function registerPlan(program: Command): void {
  withTargetOptions(
    program.command("plan").description("show what a deploy (or destroy) would do; nothing is changed"),
  )
    .option("--model <file>", "application model (required unless --destroy)")
    .option("--replace-all", "plan replacing every component's instances")
    .option("--force-replace <component>", "plan replacing this component's instances; repeatable", collect)
    .option("--reconfigure", "plan replacements with the environment's launch settings, not the running ones")
    .option("--destroy", "plan a destroy of the project (of the model's components with --model)")
    .option("--json", "print the plan as JSON")
    .exitOverride()
    .action(async (opts: PlanOptions) => {
      const operation = opts.destroy ? "destroy" : "deploy";
      if (operation === "deploy" && opts.model === undefined) {
        throw new ConfigError([], "--model is required to plan a deploy");
      }
      const inputs = await loadInputs(
        { envFiles: opts.env, modelFile: opts.model, project: opts.project },
        process.env,
        process.stderr,
      );
      const aws = createAwsClients({ region: inputs.region });
      try {
        const plan = await preparePlan(
          inputs,
          {
            project: opts.project,
            operation,
            replaceAll: opts.replaceAll,
            forceReplace: opts.forceReplace,
            reconfigure: opts.reconfigure,
            readUserData: false,
          },
          {
            aws,
            hostVpc: imdsHostVpc(),
            resolvers: registryResolvers({ env: process.env, home: homedir() }),
          },
        );
        process.stdout.write(opts.json ? `${JSON.stringify(plan, null, 2)}\n` : `${formatPlan(plan)}\n`);
        if (plan.problems.length > 0) throw problemsError(plan);
      } finally {
        aws.destroy();
      }
    });
}
