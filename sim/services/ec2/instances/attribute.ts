// ModifyInstanceAttribute and DescribeInstanceAttribute: DeleteOnTermination of attached volumes,
// instance type (only while stopped, as EC2 requires), user data, security groups.
import { SimError } from "../../../api/errors.js";
import type { XmlValue } from "../../../api/xml.js";
import type { RegionState } from "../../../state/store.js";
import type { Instance } from "../../../state/types.js";
import type { Ec2Op } from "../context.js";
import { getInstance, resolveSecurityGroups } from "../lookup.js";

export const modifyInstanceAttribute: Ec2Op = ({ region, params }) => {
  const instance = getInstance(region, params.req("InstanceId"));
  if (instance.state === "terminated")
    throw new SimError(
      "IncorrectInstanceState",
      `The instance '${instance.instanceId}' is not in a state from which it can be modified.`,
    );
  const mappings = params.objects("BlockDeviceMapping");
  for (const m of mappings)
    setDeleteOnTermination(region, instance, m.req("DeviceName"), m.obj("Ebs")?.bool("DeleteOnTermination"));
  const attribute = params.str("Attribute");
  const type =
    params.obj("InstanceType")?.str("Value") ??
    (attribute === "instanceType" ? params.str("Value") : undefined);
  if (type !== undefined) {
    if (instance.state !== "stopped")
      throw new SimError(
        "IncorrectInstanceState",
        `The instance '${instance.instanceId}' is not in the 'stopped' state.`,
      );
    instance.instanceType = type;
  }
  const userData = params.obj("UserData")?.str("Value");
  if (userData !== undefined) {
    if (instance.state !== "stopped")
      throw new SimError(
        "IncorrectInstanceState",
        `The instance '${instance.instanceId}' is not in the 'stopped' state.`,
      );
    instance.userData = userData;
  }
  const groups = params.strings("GroupId");
  if (groups.length)
    instance.securityGroupIds = resolveSecurityGroups(region, instance.vpcId, groups, []).map(
      (g) => g.groupId,
    );
  if (
    !mappings.length &&
    type === undefined &&
    userData === undefined &&
    !groups.length &&
    attribute === undefined
  )
    throw new SimError("MissingParameter", "The request must contain the parameter attribute");
  return { return: true };
};

/** Changes the flag on both the instance's mapping and the volume's attachment. */
export function setDeleteOnTermination(
  region: RegionState,
  instance: Instance,
  deviceName: string,
  value: boolean | undefined,
): void {
  const device = instance.blockDevices.find((d) => d.deviceName === deviceName);
  if (!device)
    throw new SimError("InvalidInstanceAttributeValue", `No device is currently mapped at ${deviceName}`);
  if (value === undefined) return;
  device.deleteOnTermination = value;
  const attachment = region.volumes
    .get(device.volumeId)
    ?.attachments.find((a) => a.instanceId === instance.instanceId);
  if (attachment) attachment.deleteOnTermination = value;
}

export const describeInstanceAttribute: Ec2Op = ({ region, params }) => {
  const instance = getInstance(region, params.req("InstanceId"));
  const attribute = params.req("Attribute");
  const value = (v: XmlValue): XmlValue => ({ value: v });
  const out: Record<string, XmlValue> = { instanceId: instance.instanceId };
  switch (attribute) {
    case "instanceType":
      out.instanceType = value(instance.instanceType);
      break;
    case "userData":
      out.userData = instance.userData === undefined ? {} : value(instance.userData);
      break;
    case "blockDeviceMapping":
      out.blockDeviceMapping = instance.blockDevices.map((d) => ({
        deviceName: d.deviceName,
        ebs: {
          volumeId: d.volumeId,
          status: "attached",
          attachTime: d.attachTime,
          deleteOnTermination: d.deleteOnTermination,
        },
      }));
      break;
    case "groupSet":
      out.groupSet = instance.securityGroupIds.map((groupId) => ({
        groupId,
        groupName: region.securityGroups.get(groupId)?.groupName,
      }));
      break;
    case "rootDeviceName":
      out.rootDeviceName = value(region.images.get(instance.imageId)?.rootDeviceName ?? "/dev/xvda");
      break;
    case "disableApiTermination":
      out.disableApiTermination = value(false);
      break;
    case "ebsOptimized":
      out.ebsOptimized = value(instance.ebsOptimized);
      break;
    case "instanceInitiatedShutdownBehavior":
      out.instanceInitiatedShutdownBehavior = value("stop");
      break;
    default:
      throw new SimError(
        "InvalidParameterValue",
        `Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`,
      );
  }
  return out;
};
