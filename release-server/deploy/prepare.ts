// From files to a plan: check the inputs (exit 2 before any AWS call), resolve the region, read the
// state, resolve images, plan, and (for a deploy) read user_data from S3 for what will be created.
import type { AwsClients } from "#shared/aws/clients.js";
import { resolveRegion } from "#shared/aws/clients.js";
import type { Environment } from "#shared/config/environment.js";
import type { LoadedModel } from "#shared/config/model.js";
import { validateInputs } from "#shared/config/validate-inputs.js";
import { ConfigError, formatIssue } from "#shared/errors.js";
import { systemClock, type Clock } from "#shared/poll.js";
import type { ImageResolverFactory } from "#shared/registry/resolver-factory.js";
import {
  imagesToCheck,
  type ImageResolver,
  type ImagesToCheck,
  type RegistryDigests,
} from "#shared/registry/resolver.js";
import type { Operation, Plan } from "./actions.js";
import type { DeployRequest } from "./desired.js";
import type { HostVpcReader } from "./observe/home-vpc.js";
import { observe } from "./observe/observe.js";
import { planDeploy } from "./plan/plan.js";
import { materialiseUserData, s3Reader } from "./observe/user-data-s3.js";

export interface Inputs {
  environment: Environment;
  model?: LoadedModel;
  region: string;
}

export interface InputOptions {
  envFiles: string[];
  modelFile?: string;
  project: string;
}

export async function loadInputs(
  opts: InputOptions,
  env: NodeJS.ProcessEnv,
  err: NodeJS.WritableStream,
): Promise<Inputs> {
  const result = await validateInputs({
    envFiles: opts.envFiles,
    modelFile: opts.modelFile,
    project: opts.project,
  });
  if (!result.environment) throw new ConfigError(result.issues);
  for (const issue of result.issues) err.write(`${formatIssue(issue)}\n`);
  const { region } = await resolveRegion(result.environment.ec2Asg.region, env);
  return { environment: result.environment, ...(result.model ? { model: result.model } : {}), region };
}

export interface PlanOptions {
  project: string;
  operation: Operation;
  replaceAll?: boolean;
  forceReplace?: string[];
  reconfigure?: boolean;
  /** Read S3 user_data for launch settings the plan creates (a deploy does; `plan` shows the source). */
  readUserData: boolean;
}

export interface PlanDeps {
  aws: AwsClients;
  hostVpc: HostVpcReader;
  resolvers: ImageResolverFactory;
  clock?: Clock;
}

export async function preparePlan(inputs: Inputs, opts: PlanOptions, deps: PlanDeps): Promise<Plan> {
  if (opts.reconfigure && !opts.replaceAll && (opts.forceReplace ?? []).length === 0)
    throw new ConfigError(
      [],
      "--reconfigure applies the environment's launch settings to the components being replaced: add --replace-all or --force-replace COMPONENT",
    );
  const config = inputs.environment.ec2Asg;
  const model = inputs.model?.model;
  const observed = await observe(
    { aws: deps.aws, region: inputs.region, hostVpc: deps.hostVpc },
    {
      project: opts.project,
      config,
      limitedPermissions: inputs.environment.limitedPermissions,
      components: Object.keys(model?.components ?? {}),
    },
  );
  const digests = await resolveDigests(
    deps.resolvers(config.image_check_type, deps.aws),
    opts,
    imagesToCheck(
      Object.values(model?.components ?? {}).map((c) => c.image),
      observed.groups,
    ),
  );
  const request: DeployRequest = {
    project: opts.project,
    config,
    limitedPermissions: inputs.environment.limitedPermissions,
    ...(model ? { model } : {}),
    operation: opts.operation,
    now: (deps.clock ?? systemClock).now(),
    replaceAll: opts.replaceAll ?? false,
    forceReplace: opts.forceReplace ?? [],
    ...(opts.reconfigure ? { reconfigure: true } : {}),
    digests,
  };
  const plan = planDeploy(request, observed);
  return opts.readUserData && plan.problems.length === 0
    ? materialiseUserData(plan, s3Reader(deps.aws))
    : plan;
}

// A destroy or a rollback compares no versions: it asks no registry, so a registry that is down cannot block it.
async function resolveDigests(
  resolver: ImageResolver,
  opts: PlanOptions,
  images: ImagesToCheck,
): Promise<RegistryDigests> {
  if (opts.operation !== "deploy") return {};
  try {
    return await resolver.resolve(images);
  } finally {
    await resolver.close();
  }
}

/** Problems stop everything before a change: exit 2 with one line each. */
export function problemsError(plan: Plan): ConfigError {
  return new ConfigError([], plan.problems.map((p) => `problem: ${p}`).join("\n"));
}
