// What `asg-release plan` does (cli/plan.ts declares it): load the inputs, read the state, print the
// plan. Loaded by the command's action only, as it brings the SDK clients.
import { homedir } from "node:os";
import { createAwsClients } from "#shared/aws/clients.js";
import { ConfigError } from "#shared/errors.js";
import { registryResolvers } from "#shared/registry/resolver-factory.js";
import { formatPlan } from "../release-server/deploy/format.js";
import { imdsHostVpc } from "../release-server/deploy/observe/home-vpc.js";
import { loadInputs, preparePlan, problemsError } from "../release-server/deploy/prepare.js";
import type { PlanOptions } from "./plan.js";

export async function runPlan(opts: PlanOptions): Promise<void> {
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
}
