// The deploy planner (pure): observed state + model + environment -> an ordered list of changes,
// one per component, each a list of actions with reasons. Nothing here calls AWS.
import { ConfigError } from "#shared/errors.js";
import { parseName } from "#shared/naming/render.js";
import { parseNamingTemplate } from "#shared/naming/template.js";
import type { Change, Plan } from "../actions.js";
import { desiredComponents, type DeployRequest } from "../desired.js";
import type { Observed } from "../observe/observed.js";
import type { ComponentPlan, PlanContext } from "./context.js";
import { planDestroyComponent, planPendingHandoffs } from "./destroy.js";
import { planFullComponent } from "./full.js";
import { planLimitedComponent } from "./limited.js";
import { planRollback } from "./rollback.js";
import { checkLoadBalancers } from "./preflight.js";
import { limitedNamingTemplate, tagKeys } from "../tags.js";

export function planDeploy(request: DeployRequest, observed: Observed): Plan {
  const source = request.limitedPermissions ? limitedNamingTemplate : request.config.naming_template;
  const parsed = parseNamingTemplate(source);
  if (!parsed.ok) {
    throw new ConfigError([], `naming template ${source}: ${parsed.problems.join("; ")}`, {
      context: { namingTemplate: source },
    });
  }
  const ctx: PlanContext = {
    request,
    observed,
    keys: tagKeys(request.config.tag_prefix),
    naming: parsed.template,
    problems: [],
  };
  const desired = desiredComponents(request);
  if (request.operation === "rollback") return finish(ctx, planRollback(ctx), []);
  // Warnings in planning order: pre-flight, the model's components, then those taken down.
  const warnings = request.operation === "deploy" ? checkLoadBalancers(ctx, desired) : [];
  const changes: Change[] = [...planPendingHandoffs(ctx)];
  const add = (planned: ComponentPlan) => {
    if (planned.change) changes.push(planned.change);
    warnings.push(...planned.warnings);
  };
  for (const component of desired) {
    add(
      request.limitedPermissions ? planLimitedComponent(ctx, component) : planFullComponent(ctx, component),
    );
  }
  for (const component of componentsToDestroy(ctx)) {
    const why =
      request.operation === "destroy"
        ? `destroy of project ${request.project}`
        : `${component} is not in the model`;
    add(planDestroyComponent(ctx, component, why));
  }
  return finish(ctx, changes, warnings);
}

function finish(ctx: PlanContext, changes: Change[], warnings: string[]): Plan {
  const { request, observed } = ctx;
  return {
    project: request.project,
    region: observed.region,
    mode: request.limitedPermissions ? "limited" : "full",
    operation: request.operation,
    changes,
    warnings: [...new Set(warnings)],
    problems: [...new Set(ctx.problems)],
  };
}

/** Components with something in AWS that the operation takes down. */
function componentsToDestroy(ctx: PlanContext): string[] {
  const { request, observed } = ctx;
  const sources = [...observed.launchTemplates, ...observed.launchConfigurations].map(
    (s) => parseName(ctx.naming, s.name, { project: request.project })?.component,
  );
  const found = [...new Set([...observed.groups.map((g) => g.component), ...sources])]
    .filter((c): c is string => c !== undefined)
    .sort();
  const inModel = Object.keys(request.model?.components ?? {});
  if (request.operation === "destroy")
    return request.model ? found.filter((c) => inModel.includes(c)) : found;
  return found.filter((c) => !inModel.includes(c));
}
