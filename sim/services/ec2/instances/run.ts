// RunInstances: MinCount..MaxCount instances in one reservation, from explicit parameters and/or
// a launch template version; idempotent per ClientToken as EC2 is.
import { SimError } from "../../../api/errors.js";
import type { Instance } from "../../../state/types.js";
import { checkTagSpecificationTypes } from "../../common/tags.js";
import type { Ec2Op } from "../context.js";
import { mergeLaunchData, readLaunchData } from "../launch-templates/read-data.js";
import { findTemplate, findVersion } from "../launch-templates/resolve.js";
import { launchPrepared, newReservationId } from "./launch.js";
import { prepareLaunch } from "./prepare.js";
import { launchRequestFromData } from "./request.js";
import { instanceXml } from "./shape.js";

const MAX_PER_CALL = 5000;

export const runInstances: Ec2Op = async ({ region, params }, ec2) => {
  const minCount = params.int("MinCount");
  const maxCount = params.int("MaxCount");
  if (minCount === undefined)
    throw new SimError("MissingParameter", "The request must contain the parameter MinCount");
  if (maxCount === undefined)
    throw new SimError("MissingParameter", "The request must contain the parameter MaxCount");
  if (minCount < 1 || maxCount < 1)
    throw new SimError(
      "InvalidParameterValue",
      "Value for parameter MinCount and MaxCount must be positive integers",
    );
  if (minCount > maxCount)
    throw new SimError(
      "InvalidParameterValue",
      `Invalid value '${minCount}' for MinCount. Must be less than or equal to MaxCount.`,
    );
  if (minCount > MAX_PER_CALL)
    throw new SimError(
      "InstanceLimitExceeded",
      `You have requested more instances (${minCount}) than your current instance limit of ${MAX_PER_CALL} allows.`,
    );

  const clientToken = params.str("ClientToken");
  const earlier = clientToken
    ? [...region.instances.values()].filter((i) => i.clientToken === clientToken)
    : [];
  if (earlier.length) return reservation(region, ec2.accountId, earlier);

  let data = readLaunchData(params);
  checkTagSpecificationTypes(data.tagSpecifications ?? [], ["instance", "volume", "network-interface"]);
  const ltParams = params.obj("LaunchTemplate");
  let launchTemplate: { launchTemplateId: string; version: string } | undefined;
  if (ltParams) {
    const template = findTemplate(region, {
      launchTemplateId: ltParams.str("LaunchTemplateId"),
      launchTemplateName: ltParams.str("LaunchTemplateName"),
    });
    const version = findVersion(template, ltParams.str("Version"));
    data = mergeLaunchData(version.data, data);
    launchTemplate = { launchTemplateId: template.launchTemplateId, version: String(version.versionNumber) };
  }
  const req = launchRequestFromData(region, data, { subnetId: params.str("SubnetId"), launchTemplate });
  const prepared = prepareLaunch(ec2, region, req);
  if (params.bool("DryRun"))
    throw new SimError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412);

  const reservationId = newReservationId();
  const instances: Instance[] = [];
  for (let i = 0; i < Math.min(maxCount, MAX_PER_CALL); i++)
    instances.push(
      await launchPrepared(ec2, region, prepared, {
        reservationId,
        amiLaunchIndex: i,
        clientToken,
        op: "ec2:RunInstances",
      }),
    );
  return reservation(region, ec2.accountId, instances);
};

function reservation(region: Parameters<typeof instanceXml>[0], accountId: string, instances: Instance[]) {
  return {
    reservationId: instances[0]?.reservationId,
    ownerId: accountId,
    groupSet: [],
    instancesSet: instances.map((i) => instanceXml(region, accountId, i)),
  };
}
