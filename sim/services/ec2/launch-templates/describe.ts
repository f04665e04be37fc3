// DescribeLaunchTemplates and DescribeLaunchTemplateVersions, with their filters and paging.
import { SimError } from "../../../api/errors.js";
import type { LaunchTemplate, LaunchTemplateVersion } from "../../../state/types.js";
import { applyFilters, readFilters, type FilterTable } from "../../common/filters.js";
import type { Ec2Op } from "../context.js";
import { checkIdsWithoutPaging, ec2Page } from "../paging.js";
import {
  checkTemplateId,
  findTemplate,
  findVersion,
  templateIdNotFound,
  templateNameNotFound,
} from "./resolve.js";
import { templateXml, versionXml } from "./shape.js";

const TEMPLATE_FILTERS: FilterTable<LaunchTemplate> = {
  tags: (t) => t.tags,
  fields: {
    "create-time": (t) => t.createTime.toISOString(),
    "launch-template-name": (t) => t.launchTemplateName,
  },
};

export const describeLaunchTemplates: Ec2Op = ({ sim, region, params }, ec2) => {
  const ids = params.strings("LaunchTemplateId");
  const names = params.strings("LaunchTemplateName");
  checkIdsWithoutPaging(params, [...ids, ...names], "LaunchTemplateIds");
  const all = [...region.launchTemplates.values()].filter((t) => sim.faults.visible(t.launchTemplateId));
  for (const id of ids) {
    checkTemplateId(id);
    if (!all.some((t) => t.launchTemplateId === id)) throw templateIdNotFound(id);
  }
  for (const name of names) if (!all.some((t) => t.launchTemplateName === name)) throw templateNameNotFound();
  const wanted =
    ids.length || names.length
      ? all.filter((t) => ids.includes(t.launchTemplateId) || names.includes(t.launchTemplateName))
      : all;
  const filters = readFilters(params);
  const page = ec2Page(params, applyFilters(wanted, filters, TEMPLATE_FILTERS), {
    op: "DescribeLaunchTemplates",
    filters,
    min: 1,
    max: 200,
  });
  return { launchTemplates: page.items.map((t) => templateXml(t, ec2.accountId)), nextToken: page.nextToken };
};

interface Row {
  template: LaunchTemplate;
  version: LaunchTemplateVersion;
}

const VERSION_FILTERS: FilterTable<Row> = {
  fields: {
    "is-default-version": (r) => String(r.version.versionNumber === r.template.defaultVersionNumber),
    "image-id": (r) => r.version.data.imageId,
    "instance-type": (r) => r.version.data.instanceType,
    "ebs-optimized": (r) =>
      r.version.data.ebsOptimized === undefined ? undefined : String(r.version.data.ebsOptimized),
    "iam-instance-profile": (r) =>
      r.version.data.iamInstanceProfile?.arn ?? r.version.data.iamInstanceProfile?.name,
    "create-time": (r) => r.version.createTime.toISOString(),
  },
};

export const describeLaunchTemplateVersions: Ec2Op = ({ region, params }, ec2) => {
  const id = params.str("LaunchTemplateId");
  const name = params.str("LaunchTemplateName");
  const versions = params.strings("LaunchTemplateVersion");
  let rows: Row[];
  if (id || name) {
    const template = findTemplate(region, { launchTemplateId: id, launchTemplateName: name });
    rows = versions.length
      ? versions.map((v) => ({ template, version: findVersion(template, v) }))
      : [...template.versions].reverse().map((version) => ({ template, version }));
  } else {
    // Without a template, EC2 describes only $Latest or $Default across all templates.
    if (versions.length === 0 || versions.some((v) => v !== "$Latest" && v !== "$Default"))
      throw new SimError(
        "MissingParameter",
        "The request must contain the parameter LaunchTemplateId or LaunchTemplateName, unless you specify $Latest or $Default versions",
      );
    rows = [...region.launchTemplates.values()].flatMap((template) =>
      [...new Set(versions)].map((v) => ({ template, version: findVersion(template, v) })),
    );
  }
  const min = params.str("MinVersion");
  const max = params.str("MaxVersion");
  rows = rows.filter(
    (r) =>
      (min === undefined || r.version.versionNumber >= Number(min)) &&
      (max === undefined || r.version.versionNumber <= Number(max)),
  );
  const filters = readFilters(params);
  const page = ec2Page(params, applyFilters(rows, filters, VERSION_FILTERS), {
    op: `DescribeLaunchTemplateVersions:${id ?? name ?? ""}:${versions.join(",")}:${min}:${max}`,
    filters,
    min: 1,
    max: 200,
  });
  return {
    launchTemplateVersionSet: page.items.map((r) => versionXml(r.template, r.version, ec2.accountId)),
    nextToken: page.nextToken,
  };
};
