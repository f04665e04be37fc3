// Launch templates and configurations: the project's launch templates (one tag-filtered describe and
// one describe of every template's default version), launch configurations by name (50 per call),
// and the ones `launch_config.template` names as defaults.
import { paginateDescribeLaunchConfigurations } from "@aws-sdk/client-auto-scaling";
import {
  DescribeLaunchTemplateVersionsCommand,
  paginateDescribeLaunchTemplates,
  paginateDescribeLaunchTemplateVersions,
} from "@aws-sdk/client-ec2";
import { awsCall, awsSend } from "#shared/aws/call.js";
import type { AwsClients } from "#shared/aws/clients.js";
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
  await awsCall("DescribeLaunchTemplates", { project: projectTag.value }, async () => {
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
  });
  const wanted = new Set([...templates.keys(), ...alsoIds]);
  if (wanted.size === 0) return [];
  const out: ObservedLaunchTemplate[] = [];
  // Without a template id, EC2 describes $Default versions across all templates in one listing.
  await awsCall("DescribeLaunchTemplateVersions", { project: projectTag.value }, async () => {
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
  });
  return out;
}

export async function observeLaunchConfigurations(
  aws: AwsClients,
  names: string[],
): Promise<ObservedLaunchConfiguration[]> {
  const out: ObservedLaunchConfiguration[] = [];
  const unique = [...new Set(names)];
  for (let i = 0; i < unique.length; i += namesPerCall) {
    const chunk = unique.slice(i, i + namesPerCall);
    await awsCall("DescribeLaunchConfigurations", { names: chunk.join(",") }, async () => {
      const pages = paginateDescribeLaunchConfigurations(
        { client: aws.autoscaling },
        { LaunchConfigurationNames: chunk },
      );
      for await (const page of pages) {
        for (const c of page.LaunchConfigurations ?? []) {
          out.push({ name: c.LaunchConfigurationName ?? "", data: fromLaunchConfiguration(c) });
        }
      }
    });
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
    // No template of that name is an answer here: a launch configuration may have it.
    const res = await awsSend(
      aws.ec2,
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: name, Versions: ["$Default"] }),
      { template: name },
      (code) => code === "InvalidLaunchTemplateName.NotFoundException",
    );
    const data = res?.LaunchTemplateVersions?.[0]?.LaunchTemplateData;
    if (data) out[name] = fromTemplateData(data);
  }
  const fromConfigurations = [...configurations, ...templates.filter((name) => !(name in out))];
  for (const c of await observeLaunchConfigurations(aws, fromConfigurations)) out[c.name] ??= c.data;
  return out;
}
