// Finding a launch template by id or name and one of its versions by "$Latest", "$Default" or
// number, with EC2's errors; used by the launch template operations, RunInstances and Auto Scaling.
import { SimError } from "../../../api/errors.js";
import type { RegionState } from "../../../state/store.js";
import type { LaunchTemplate, LaunchTemplateVersion } from "../../../state/types.js";

export interface TemplateRef {
  launchTemplateId?: string;
  launchTemplateName?: string;
}

export const templateNameNotFound = (): SimError =>
  new SimError(
    "InvalidLaunchTemplateName.NotFoundException",
    "At least one of the launch templates specified in the request does not exist.",
  );

export const templateIdNotFound = (id: string): SimError =>
  new SimError(
    "InvalidLaunchTemplateId.NotFound",
    `The specified launch template, with template ID ${id}, does not exist.`,
  );

export function findTemplate(region: RegionState, ref: TemplateRef): LaunchTemplate {
  if (ref.launchTemplateId && ref.launchTemplateName)
    throw new SimError(
      "InvalidParameterCombination",
      "The parameters LaunchTemplateId and LaunchTemplateName cannot be used together. Specify one or the other.",
    );
  if (ref.launchTemplateId) {
    checkTemplateId(ref.launchTemplateId);
    const template = region.launchTemplates.get(ref.launchTemplateId);
    if (!template) throw templateIdNotFound(ref.launchTemplateId);
    return template;
  }
  if (ref.launchTemplateName) {
    const template = findTemplateByName(region, ref.launchTemplateName);
    if (!template) throw templateNameNotFound();
    return template;
  }
  throw new SimError(
    "MissingParameter",
    "The request must contain the parameter LaunchTemplateName or LaunchTemplateId",
  );
}

export function checkTemplateId(id: string): void {
  if (!/^lt-[0-9a-f]{17}$/.test(id))
    throw new SimError(
      "InvalidLaunchTemplateId.Malformed",
      `The specified ID for the launch template (${id}) is not valid. Launch template IDs start with 'lt-' and are followed by 17 hexadecimal characters.`,
    );
}

export function findTemplateByName(region: RegionState, name: string): LaunchTemplate | undefined {
  for (const t of region.launchTemplates.values()) if (t.launchTemplateName === name) return t;
  return undefined;
}

/** One version: "$Latest", "$Default" (also when omitted) or a number. */
export function findVersion(template: LaunchTemplate, version: string | undefined): LaunchTemplateVersion {
  const number =
    version === undefined || version === "$Default"
      ? template.defaultVersionNumber
      : version === "$Latest"
        ? template.latestVersionNumber
        : /^\d+$/.test(version)
          ? Number(version)
          : NaN;
  if (Number.isNaN(number))
    throw new SimError(
      "InvalidLaunchTemplateId.VersionNotFound",
      `Could not find the specified version ${version} for the launch template with ID ${template.launchTemplateId}.`,
    );
  const found = template.versions.find((v) => v.versionNumber === number);
  if (!found)
    throw new SimError(
      "InvalidLaunchTemplateId.VersionNotFound",
      `Could not find the specified version ${number} for the launch template with ID ${template.launchTemplateId}.`,
    );
  return found;
}
