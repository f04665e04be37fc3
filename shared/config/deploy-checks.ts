// Checks that need the environment, the model and the project together: every component can get a
// launch configuration, the naming template can name every component within AWS's limits, and the
// two files agree on component and load balancer names.
import type { ConfigIssue } from "../errors.js";
import { componentSettings } from "./component-settings.js";
import { recordPath, type Environment } from "./environment.js";
import { locateIssues, rawError, rawWarning, type RawIssue } from "./issues.js";
import type { LoadedModel } from "./model.js";
import { gatewayTargets } from "./model.js";
import { namingChecks } from "./naming-checks.js";
import type { Path } from "./path.js";

export interface DeployInputs {
  environment: Environment;
  model?: LoadedModel;
  project?: string;
}

export function checkDeployInputs({ environment, model, project }: DeployInputs): ConfigIssue[] {
  const env: RawIssue[] = [];
  const mod: RawIssue[] = [];
  const names = model ? Object.keys(model.model.components) : undefined;
  if (!environment.limitedPermissions) {
    env.push(...launchConfigChecks(environment, names), ...sameLaunchConfigWarnings(environment, names));
  }
  if (model) {
    mod.push(...namingChecks(environment, model, project));
    mod.push(...lbChecks(environment, model));
    env.push(...unknownComponentWarnings(environment, Object.keys(model.model.components)));
  }
  return [...locateIssues(env, environment.locate), ...(model ? locateIssues(mod, model.locate) : [])];
}

const required = [
  ["ami", "an AMI id"],
  ["type", "an instance type"],
] as const;

// docs/spec/deploy.md#launch-config-template: with `template` most other settings may be omitted; without it
// an instance needs at least an AMI and an instance type.
function launchConfigChecks(environment: Environment, modelComponents: string[] | undefined): RawIssue[] {
  const config = environment.ec2Asg;
  const listed = Object.keys(config.components);
  const issues: RawIssue[] = [];
  const components = modelComponents ?? listed;
  if (components.length === 0 && config.launch_config) {
    const lc = config.launch_config;
    for (const [key, what] of required) {
      if (lc.template === undefined && lc[key] === undefined) {
        issues.push(
          rawError(
            [...recordPath, "launch_config", key],
            "parent",
            `missing, expected ${what} (required unless launch_config.template names an existing launch template)`,
          ),
        );
      }
    }
  }
  for (const name of components) {
    const lc = componentSettings(config, name).launch_config;
    const own = config.components[name]?.launch_config !== undefined;
    const at: Path = own
      ? [...recordPath, "components", name, "launch_config"]
      : [...recordPath, "launch_config"];
    for (const [key, what] of required) {
      if (lc.template === undefined && lc[key] === undefined) {
        issues.push(
          rawError(
            [...at, key],
            "parent",
            `missing for component "${name}", expected ${what} (in launch_config or components.${name}.launch_config, unless a template is named)`,
          ),
        );
      }
    }
  }
  return issues;
}

// docs/spec/deploy.md#no-substitution: without image_id_subst or image_id_path, components without
// settings of their own in `components` all get the same launch settings.
function sameLaunchConfigWarnings(
  environment: Environment,
  modelComponents: string[] | undefined,
): RawIssue[] {
  const config = environment.ec2Asg;
  if (config.image_id_subst !== undefined || config.image_id_path !== undefined || !config.launch_config)
    return [];
  const at: Path = [...recordPath, "launch_config"];
  const unchanged = "user_data is used unchanged (neither image_id_subst nor image_id_path is set)";
  if (!modelComponents) {
    const anyOwn = Object.values(config.components).some((c) => c.launch_config !== undefined);
    return anyOwn ? [] : [rawWarning(at, "key", `${unchanged} and no component has its own launch_config`)];
  }
  const byConfig = new Map<string, string[]>();
  for (const name of modelComponents) {
    const key = JSON.stringify(componentSettings(config, name).launch_config);
    byConfig.set(key, [...(byConfig.get(key) ?? []), name]);
  }
  return [...byConfig.values()]
    .filter((group) => group.length > 1)
    .map((group) =>
      rawWarning(
        at,
        "key",
        `${unchanged}, so components ${group.join(", ")} get identical launch configurations`,
      ),
    );
}

function lbChecks(environment: Environment, model: LoadedModel): RawIssue[] {
  const lb = environment.ec2Asg.lb;
  return Object.entries(model.model.gateways)
    .filter(
      ([name, gateway]) => gateway.type === "load_balancer" && (lb[name] === undefined || lb[name] === null),
    )
    .map(([name, gateway]) =>
      rawWarning(
        ["gateways", name],
        "key",
        `no lb entry named "${name}" in the environment: ${gatewayTargets(gateway).join(", ")} will not be attached to a load balancer`,
      ),
    );
}

function unknownComponentWarnings(environment: Environment, components: string[]): RawIssue[] {
  const config = environment.ec2Asg;
  const issues: RawIssue[] = [];
  for (const name of Object.keys(config.components)) {
    if (!components.includes(name)) {
      issues.push(
        rawWarning([...recordPath, "components", name], "key", "not a component of the model; ignored"),
      );
    }
  }
  (config.delegated_destroy?.components ?? []).forEach((name, i) => {
    if (!components.includes(name)) {
      issues.push(
        rawWarning(
          [...recordPath, "delegated_destroy", "components", i],
          "value",
          `${JSON.stringify(name)} is not a component of the model`,
        ),
      );
    }
  });
  return issues;
}
