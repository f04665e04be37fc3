// The launch template/configuration of a new slot (docs/spec/deploy.md#launch-config-reuse): reused when
// one exists, instances with the same image id run and their group is tagged so; otherwise made
// anew from the environment (a `template` supplying defaults), replacing a leftover of the same name.
import { componentSettings } from "#shared/config/component-settings.js";
import type { LaunchConfig } from "#shared/config/launch-config.js";
import { renderUserData } from "#shared/userdata/render.js";
import { userDataSource } from "#shared/userdata/source.js";
import type { Action, PendingUserData } from "../actions.js";
import type { DesiredComponent } from "../desired.js";
import { overlayLaunchData, type LaunchData } from "../launch-data.js";
import { resolveSecurityGroups } from "./network.js";
import type { ObservedGroup } from "../observe/observed.js";
import { liveInstances, type PlanContext } from "./context.js";

export interface LaunchPlan {
  actions: Action[];
  kind: "template" | "configuration";
  /** Set when the running group's settings are reused rather than the environment's. */
  reusedFrom?: string;
  warnings: string[];
}

/**
 * docs/spec/deploy.md#launch-config-reuse: new launch settings are made only when the component has none, or
 * when none of its running instances has the image id. Returns the group whose settings are reused, if any.
 */
export function reuseCandidate(
  ctx: PlanContext,
  desired: DesiredComponent,
  groups: ObservedGroup[],
): ObservedGroup | undefined {
  return groups.find(
    (g) =>
      g.imageId === desired.image &&
      launchDataOf(ctx, g) !== undefined &&
      liveInstances(g).some((i) => (i.imageId ?? g.imageId) === desired.image),
  );
}

export function launchDataOf(ctx: PlanContext, group: ObservedGroup): LaunchData | undefined {
  const source = group.launch;
  if (!source) return undefined;
  if (source.kind === "template") return ctx.observed.launchTemplates.find((t) => t.id === source.id)?.data;
  return ctx.observed.launchConfigurations.find((c) => c.name === source.name)?.data;
}

export function planLaunch(
  ctx: PlanContext,
  desired: DesiredComponent,
  name: string,
  reuse?: ObservedGroup,
  reconfigure = false,
): LaunchPlan {
  const settings = componentSettings(ctx.request.config, desired.name);
  const kind = settings.launch_config.kind;
  const component = desired.name;
  const actions: Action[] = [];
  const leftover =
    kind === "template"
      ? ctx.observed.launchTemplates.some((t) => t.name === name)
      : ctx.observed.launchConfigurations.some((c) => c.name === name);
  if (leftover) {
    const reason =
      "replaced by a new one, so the current configuration is reflected in it (docs/spec/deploy.md#launch-config-reuse)";
    actions.push(
      kind === "template"
        ? { kind: "deleteLaunchTemplate", component, name, reason }
        : { kind: "deleteLaunchConfiguration", component, name, reason },
    );
  }
  const reused = reuse ? launchDataOf(ctx, reuse) : undefined;
  let data: LaunchData;
  let pendingUserData: PendingUserData | undefined;
  let warnings: string[] = [];
  let reason: string;
  if (reuse && reused) {
    data = reused;
    reason = `reuses the settings of ${reuse.name}: instances with image ${desired.image} run there (docs/spec/deploy.md#launch-config-reuse)`;
  } else {
    ({ data, pendingUserData, warnings } = freshLaunchData(ctx, desired));
    reason = reconfigure
      ? "--reconfigure: the environment's launch settings, not the running ones"
      : reuse === undefined
        ? `no running instance of ${component} has image ${desired.image}`
        : "new settings";
  }
  if (kind === "template") {
    const tags = { [ctx.keys.project]: ctx.request.project, [ctx.keys.compName]: component };
    actions.push({
      kind: "createLaunchTemplate",
      component,
      name,
      data,
      tags,
      reason,
      ...(pendingUserData ? { pendingUserData } : {}),
    });
  } else {
    actions.push({
      kind: "createLaunchConfiguration",
      component,
      name,
      data,
      reason,
      ...(pendingUserData ? { pendingUserData } : {}),
    });
  }
  return { actions, kind, ...(reuse && reused ? { reusedFrom: reuse.name } : {}), warnings };
}

/** The raw launch_config as written, global then the component's, so "not set" stays distinguishable. */
function writtenLaunchConfig(ctx: PlanContext, component: string): LaunchConfig {
  const config = ctx.request.config;
  return { ...config.launch_config, ...config.components[component]?.launch_config };
}

function freshLaunchData(
  ctx: PlanContext,
  desired: DesiredComponent,
): { data: LaunchData; pendingUserData?: PendingUserData; warnings: string[] } {
  const config = ctx.request.config;
  const warnings: string[] = [];
  const written = writtenLaunchConfig(ctx, desired.name);
  const own = config.components[desired.name]?.launch_config !== undefined;
  let base: LaunchData = {};
  if (written.template !== undefined) {
    const source = ctx.observed.templateSources[written.template];
    if (source) base = source;
    else
      ctx.problems.push(
        `${desired.name}: launch_config.template ${JSON.stringify(written.template)}: no launch template or launch configuration of that name in ${ctx.observed.region}`,
      );
  }
  const keyPairs = ctx.observed.keyPairs;
  if (written.key !== undefined && keyPairs !== undefined && !keyPairs.includes(written.key)) {
    // docs/spec/deploy.md#launch-config-key: a key pair registered in AWS. A launch
    // template takes any name; the instances would then fail to launch, long after the deploy began.
    ctx.problems.push(
      `${desired.name}: launch_config.key ${JSON.stringify(written.key)} is not a registered key pair in ${ctx.observed.region}`,
    );
  }
  let securityGroupIds: string[] | undefined;
  if (written.sg !== undefined && ctx.observed.network) {
    const sgs = resolveSecurityGroups(written.sg, ctx.observed.network);
    if (sgs.ok) securityGroupIds = sgs.value;
    else ctx.problems.push(`${desired.name}: launch_config.sg: ${sgs.problem}`);
  }
  const data = overlayLaunchData(base, {
    imageId: written.ami,
    instanceType: written.type,
    keyName: written.key,
    securityGroupIds,
    instanceProfile: written.profile,
    // docs/spec/deploy.md#ebs-optimized: false by default (a template's value counts as set)
    ebsOptimized: written.ebs_optimized ?? (written.template !== undefined ? base.ebsOptimized : false),
    associatePublicIpAddress: written.public_ip,
  });
  const render = {
    imageId: desired.image,
    imageIdSubst: config.image_id_subst,
    imageIdPath: config.image_id_path,
    componentHasOwnLaunchConfig: own,
  };
  const source = written.user_data === undefined ? undefined : userDataSource(written.user_data);
  if (source?.kind === "s3") {
    delete data.userData;
    return { data, pendingUserData: { bucket: source.bucket, key: source.key, ...render }, warnings };
  }
  const text = source?.kind === "text" ? source.text : base.userData;
  if (text !== undefined) {
    const rendered = renderUserData({ userData: text, ...render });
    if (rendered.ok) {
      data.userData = rendered.text;
      warnings.push(...rendered.warnings.map((w) => `${desired.name}: ${w}`));
    } else ctx.problems.push(`${desired.name}: user_data: ${rendered.problem}`);
  }
  if (data.imageId === undefined || data.instanceType === undefined) {
    ctx.problems.push(
      `${desired.name}: launch settings lack ${data.imageId === undefined ? "an AMI (ami)" : "an instance type (type)"}`,
    );
  }
  return { data, warnings };
}
