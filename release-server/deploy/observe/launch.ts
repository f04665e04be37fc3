// Launch templates and configurations: the project's launch templates (one tag-filtered describe and
// one describe of every template's default version), launch configurations by name (50 per call),
// and the ones `launch_config.template` names as defaults.
import { paginateDescribeLaunchConfigurations } from "@aws-sdk/client-auto-scaling";
import {
  DescribeLaunchTemplateVersionsCommand,
  paginateDescribeLaunchTemplates,
  paginateDescribeLaunchTemplateVersions,
} from "@aws-sdk/client-ec2";
import type { AwsClients } from "../../../shared/aws/clients.js";
import type { LaunchData } from "../launch-data.js";
import type { ObservedLaunchConfiguration, ObservedLaunchTemplate } from "./observed.js";
import { fromLaunchConfiguration, fromTemplateData } from "../execute/sdk-launch.js";

const namesPerCall = 50;

export async function observeLaunchTemplates(
  aws: AwsClients,
  projectTag: { key: string; value: string },
  alsoIds: string[],
): Promise<ObservedLaunchTemplate[]> {
  const templates = new Map<string, { name: string; defaultVersion: number }>();
  const pages = paginateDescribeLaunchTemplates(
    { client: aws.ec2, pageSize: 200 },
    { Filters: [{ Name: `tag:${projectTag.key}`, Values: [projectTag.value] }] },
  );
  for await (const page of pages) {
    for (const t of page.LaunchTemplates ?? []) {
      templates.set(t.LaunchTemplateId ?? "", {
        name: t.LaunchTemplateName ?? "",
        defaultVersion: t.DefaultVersionNumber ?? 1,
      });
    }
  }
  const wanted = new Set([...templates.keys(), ...alsoIds]);
  if (wanted.size === 0) return [];
  const out: ObservedLaunchTemplate[] = [];
  // Without a template id, EC2 describes $Default versions across all templates in one listing.
  const versions = paginateDescribeLaunchTemplateVersions(
    { client: aws.ec2, pageSize: 200 },
    { Versions: ["$Default"] },
  );
  for await (const page of versions) {
    for (const v of page.LaunchTemplateVersions ?? []) {
      const id = v.LaunchTemplateId ?? "";
      if (!wanted.has(id)) continue;
      out.push({
        id,
        name: v.LaunchTemplateName ?? templates.get(id)?.name ?? "",
        defaultVersion: v.VersionNumber ?? 1,
        data: fromTemplateData(v.LaunchTemplateData ?? {}),
      });
    }
  }
  return out;
}

export async function observeLaunchConfigurations(
  aws: AwsClients,
  names: string[],
): Promise<ObservedLaunchConfiguration[]> {
  const out: ObservedLaunchConfiguration[] = [];
  const unique = [...new Set(names)];
  for (let i = 0; i < unique.length; i += namesPerCall) {
    const pages = paginateDescribeLaunchConfigurations(
      { client: aws.autoscaling },
      { LaunchConfigurationNames: unique.slice(i, i + namesPerCall) },
    );
    for await (const page of pages) {
      for (const c of page.LaunchConfigurations ?? []) {
        out.push({ name: c.LaunchConfigurationName ?? "", data: fromLaunchConfiguration(c) });
      }
    }
  }
  return out;
}

/**
 * `template` (docs/spec/deploy.md#launch-config-template) names the launch settings used as defaults. With
 * launch templates (the default kind), a launch template of that name, else a launch configuration, as a
 * record written for the plugin names one (docs/spec/deploy.md#diff-launch-templates); with `kind:
 * configuration`, a launch configuration. Missing ones are left out.
 */
export async function observeTemplateSources(
  aws: AwsClients,
  templates: string[],
  configurations: string[],
): Promise<Record<string, LaunchData>> {
  const out: Record<string, LaunchData> = {};
  for (const name of new Set(templates)) {
    try {
      const res = await aws.ec2.send(
        new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: name, Versions: ["$Default"] }),
      );
      const data = res.LaunchTemplateVersions?.[0]?.LaunchTemplateData;
      if (data) out[name] = fromTemplateData(data);
    } catch (err) {
      if ((err as { name?: string }).name !== "InvalidLaunchTemplateName.NotFoundException") throw err;
    }
  }
  const fromConfigurations = [...configurations, ...templates.filter((name) => !(name in out))];
  for (const c of await observeLaunchConfigurations(aws, fromConfigurations)) out[c.name] ??= c.data;
  return out;
}
