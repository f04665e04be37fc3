// CreateLaunchTemplate and CreateLaunchTemplateVersion (optionally from a SourceVersion, whose
// parameters the new version inherits unless LaunchTemplateData overrides them).
import { SimError } from "../../../api/errors.js";
import type { ParamReader } from "../../../api/params.js";
import { newId } from "../../../state/ids.js";
import type { LaunchTemplate, LaunchTemplateData } from "../../../state/types.js";
import {
  checkEc2Tags,
  checkTagSpecificationTypes,
  readTagSpecifications,
  tagsFor,
} from "../../common/tags.js";
import type { Ec2Op } from "../context.js";
import { readLaunchData } from "./read-data.js";
import { findTemplate, findTemplateByName, findVersion } from "./resolve.js";
import { templateXml, versionXml } from "./shape.js";

const NAME_RE = /^[a-zA-Z0-9().\-/_]{3,128}$/;

function requireData(params: ParamReader): LaunchTemplateData {
  const data = params.obj("LaunchTemplateData");
  if (!data)
    throw new SimError("MissingParameter", "The request must contain the parameter LaunchTemplateData");
  return readLaunchData(data);
}

export const createLaunchTemplate: Ec2Op = ({ sim, region, params }, ec2) => {
  const name = params.req("LaunchTemplateName");
  if (!NAME_RE.test(name))
    throw new SimError(
      "InvalidLaunchTemplateName.MalformedException",
      "A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.'",
    );
  if (findTemplateByName(region, name))
    throw new SimError(
      "InvalidLaunchTemplateName.AlreadyExistsException",
      "Launch template name already in use.",
    );
  const data = requireData(params);
  const specs = readTagSpecifications(params);
  checkTagSpecificationTypes(specs, ["launch-template"]);
  const tags = tagsFor(specs, "launch-template");
  checkEc2Tags(tags);
  const now = ec2.now();
  const template: LaunchTemplate = {
    launchTemplateId: newId("lt"),
    launchTemplateName: name,
    createTime: now,
    defaultVersionNumber: 1,
    latestVersionNumber: 1,
    versions: [
      { versionNumber: 1, versionDescription: params.str("VersionDescription"), createTime: now, data },
    ],
    tags,
  };
  region.launchTemplates.set(template.launchTemplateId, template);
  sim.faults.created("ec2:CreateLaunchTemplate", template.launchTemplateId);
  return { launchTemplate: templateXml(template, ec2.accountId) };
};

export const createLaunchTemplateVersion: Ec2Op = ({ region, params }, ec2) => {
  const template = findTemplate(region, {
    launchTemplateId: params.str("LaunchTemplateId"),
    launchTemplateName: params.str("LaunchTemplateName"),
  });
  const given = requireData(params);
  const source = params.str("SourceVersion");
  const data = source === undefined ? given : { ...findVersion(template, source).data, ...given };
  const version = {
    versionNumber: template.latestVersionNumber + 1,
    versionDescription: params.str("VersionDescription"),
    createTime: ec2.now(),
    data,
  };
  template.versions.push(version);
  template.latestVersionNumber = version.versionNumber;
  return { launchTemplateVersion: versionXml(template, version, ec2.accountId) };
};
