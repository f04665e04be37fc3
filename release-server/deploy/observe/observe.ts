// Reads the state a plan starts from: network (home_vpc checked first), the project's groups and
// members, launch templates/configurations, bound load balancers and interrupted hand-offs. The
// number of calls per service does not grow with the number of instances.
import type { AwsClients } from "#shared/aws/clients.js";
import { ConfigError } from "#shared/errors.js";
import { componentSettings } from "#shared/config/component-settings.js";
import type { Ec2AsgConfig } from "#shared/config/ec2-asg-schema.js";
import { slots } from "#shared/naming/names.js";
import { canNameComponent, renderName } from "#shared/naming/render.js";
import { parseNamingTemplate } from "#shared/naming/template.js";
import { boundLb } from "../desired.js";
import type { HostVpcReader } from "./home-vpc.js";
import type { Observed } from "./observed.js";
import { observeGroups, observePendingHandoffs } from "./groups.js";
import { observeLaunchConfigurations, observeLaunchTemplates, observeTemplateSources } from "./launch.js";
import { configuredKeys, observeKeyPairs } from "./keys.js";
import { observeLbs } from "./lbs.js";
import { observeNetwork } from "./network.js";
import { limitedNamingTemplate, tagKeys } from "../tags.js";

export interface ObserveDeps {
  aws: AwsClients;
  region: string;
  hostVpc: HostVpcReader;
}

export interface ObserveRequest {
  project: string;
  config: Ec2AsgConfig;
  limitedPermissions: boolean;
  /** The model's components, whose slot names are looked up for launch configurations. */
  components: string[];
}

export async function observe(deps: ObserveDeps, req: ObserveRequest): Promise<Observed> {
  const { aws } = deps;
  const { config, project } = req;
  const parsed = parseNamingTemplate(req.limitedPermissions ? limitedNamingTemplate : config.naming_template);
  if (!parsed.ok) {
    throw new ConfigError([], `naming template: ${parsed.problems.join("; ")}`, {
      context: { limitedPermissions: req.limitedPermissions },
    });
  }
  const naming = parsed.template;
  const keys = tagKeys(config.tag_prefix);
  const network = req.limitedPermissions ? undefined : await observeNetwork(aws, config, deps.hostVpc);
  const groups = await observeGroups(aws, { project, naming, keys });
  const bindings = Object.keys(config.lb).flatMap((k) => {
    const b = boundLb(config, k);
    return b === undefined ? [] : [b];
  });
  const lbs = await observeLbs(aws, bindings);
  const observed: Observed = {
    region: deps.region,
    project,
    ...(network ? { network } : {}),
    groups,
    launchTemplates: [],
    launchConfigurations: [],
    templateSources: {},
    lbs,
    pendingHandoffs: [],
  };
  if (req.limitedPermissions) return observed;

  const members = new Set(groups.flatMap((g) => g.instances.map((i) => i.instanceId)));
  if ((config.delegated_destroy?.components.length ?? 0) > 0) {
    observed.pendingHandoffs = await observePendingHandoffs(aws, project, keys, members);
  }
  const ltIds = groups.flatMap((g) => (g.launch?.kind === "template" ? [g.launch.id] : []));
  observed.launchTemplates = await observeLaunchTemplates(aws, { key: keys.project, value: project }, ltIds);
  const components = [...new Set([...req.components, ...groups.map((g) => g.component)])];
  const slotNames = components.flatMap((c) =>
    canNameComponent(naming, c)
      ? slots.map((slot) => renderName(naming, { project, component: c, slot }))
      : [],
  );
  const lcNames = groups.flatMap((g) => (g.launch?.kind === "configuration" ? [g.launch.name] : []));
  observed.launchConfigurations = await observeLaunchConfigurations(aws, [...slotNames, ...lcNames]);
  const sources = req.components.map((c) => componentSettings(config, c).launch_config);
  observed.templateSources = await observeTemplateSources(
    aws,
    sources.filter((lc) => lc.kind === "template" && lc.template).map((lc) => lc.template!),
    sources.filter((lc) => lc.kind === "configuration" && lc.template).map((lc) => lc.template!),
  );
  const keyPairs = await observeKeyPairs(aws, configuredKeys(config, req.components));
  if (keyPairs) observed.keyPairs = keyPairs;
  return observed;
}
