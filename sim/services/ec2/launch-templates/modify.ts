// ModifyLaunchTemplate (the default version), DeleteLaunchTemplate, DeleteLaunchTemplateVersions.
import { SimError } from "../../../api/errors.js";
import type { XmlValue } from "../../../api/xml.js";
import type { Ec2Op } from "../context.js";
import { findTemplate, findVersion } from "./resolve.js";
import { templateXml } from "./shape.js";

export const modifyLaunchTemplate: Ec2Op = ({ region, params }, ec2) => {
  const template = findTemplate(region, {
    launchTemplateId: params.str("LaunchTemplateId"),
    launchTemplateName: params.str("LaunchTemplateName"),
  });
  const wanted = params.str("SetDefaultVersion");
  if (wanted !== undefined) template.defaultVersionNumber = findVersion(template, wanted).versionNumber;
  return { launchTemplate: templateXml(template, ec2.accountId) };
};

export const deleteLaunchTemplate: Ec2Op = ({ region, params }, ec2) => {
  const template = findTemplate(region, {
    launchTemplateId: params.str("LaunchTemplateId"),
    launchTemplateName: params.str("LaunchTemplateName"),
  });
  region.launchTemplates.delete(template.launchTemplateId);
  return { launchTemplate: templateXml(template, ec2.accountId) };
};

export const deleteLaunchTemplateVersions: Ec2Op = ({ region, params }) => {
  const template = findTemplate(region, {
    launchTemplateId: params.str("LaunchTemplateId"),
    launchTemplateName: params.str("LaunchTemplateName"),
  });
  const requested = params.strings("LaunchTemplateVersion");
  if (requested.length === 0)
    throw new SimError("MissingParameter", "The request must contain the parameter LaunchTemplateVersion");
  const ok: XmlValue[] = [];
  const failed: XmlValue[] = [];
  for (const v of requested) {
    const number = Number(v);
    const base = {
      launchTemplateId: template.launchTemplateId,
      launchTemplateName: template.launchTemplateName,
      versionNumber: number,
    };
    const index = template.versions.findIndex((x) => x.versionNumber === number);
    if (index < 0) {
      failed.push({
        ...base,
        responseError: {
          code: "launchTemplateVersionDoesNotExist",
          message: "The specified launch template version does not exist.",
        },
      });
    } else if (number === template.defaultVersionNumber) {
      failed.push({
        ...base,
        responseError: {
          code: "launchTemplateVersionIsDefault",
          message: "Cannot delete the default version of a launch template.",
        },
      });
    } else {
      template.versions.splice(index, 1);
      ok.push(base);
    }
  }
  return {
    successfullyDeletedLaunchTemplateVersionSet: ok,
    unsuccessfullyDeletedLaunchTemplateVersionSet: failed,
  };
};
