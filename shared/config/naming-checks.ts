// Naming checks across the environment, the model and the project (docs/spec/deploy.md#naming-template): a
// template without {comp} names only "main", and every rendered name must fit AWS's limits.
import { AsgReleaseError } from "../errors.js";
import {
  asgNameMax,
  launchConfigurationNameMax,
  launchTemplateNameMax,
  nameProblem,
  slots,
} from "../naming/names.js";
import { canNameComponent, renderName } from "../naming/render.js";
import { defaultNamingTemplate, parseNamingTemplate, type NamingTemplate } from "../naming/template.js";
import { componentSettings } from "./component-settings.js";
import type { Environment } from "./environment.js";
import { rawError, type RawIssue } from "./issues.js";
import type { LoadedModel } from "./model.js";
import type { Path } from "./path.js";

/** Every model component can be named by the naming template, within AWS's name limits. */
export function namingChecks(
  environment: Environment,
  model: LoadedModel,
  project: string | undefined,
): RawIssue[] {
  const template = namingTemplate(environment);
  const issues: RawIssue[] = [];
  const projectOk = project !== undefined && nameProblem(project) === undefined;
  for (const component of Object.keys(model.model.components)) {
    const at: Path = ["components", component];
    if (!canNameComponent(template, component)) {
      issues.push(
        rawError(
          at,
          "key",
          `naming_template ${JSON.stringify(template.source)} has no {comp}: the only component it can name is "main"`,
        ),
      );
      continue;
    }
    if (!projectOk || nameProblem(component) !== undefined) continue;
    const kind = componentSettings(environment.ec2Asg, component).launch_config.kind;
    const limit = environment.limitedPermissions
      ? { what: "Auto Scaling group", max: asgNameMax }
      : kind === "template"
        ? { what: "launch template", max: launchTemplateNameMax }
        : { what: "launch configuration", max: Math.min(launchConfigurationNameMax, asgNameMax) };
    const name = renderName(template, { project: project!, component, slot: slots[0] });
    if (name.length > limit.max) {
      issues.push(
        rawError(
          at,
          "key",
          `the ${limit.what} name ${JSON.stringify(name)} would be ${name.length} characters; the limit is ${limit.max}`,
        ),
      );
    } else if (name.length < 3 && limit.what === "launch template") {
      issues.push(
        rawError(
          at,
          "key",
          `the launch template name ${JSON.stringify(name)} would be shorter than 3 characters`,
        ),
      );
    }
  }
  return issues;
}

// Limited-permissions mode works over pre-created "{prj}.{name}_{side}" groups
// (docs/spec/deploy.md#limited-groups).
function namingTemplate(environment: Environment): NamingTemplate {
  const source = environment.limitedPermissions ? defaultNamingTemplate : environment.ec2Asg.naming_template;
  const parsed = parseNamingTemplate(source);
  if (!parsed.ok) {
    // Validation parses the same template first, so this is a bug, not bad input.
    throw new AsgReleaseError(`naming template passed validation but does not parse: ${source}`, {
      code: "Internal",
      context: { namingTemplate: source },
    });
  }
  return parsed.template;
}
