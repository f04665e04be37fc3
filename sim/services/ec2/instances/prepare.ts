// Checks a launch before anything is created: subnet, security groups, image, key pair, user
// data, block device mappings; merges what the request's launch template adds (mappings, metadata
// options, tags). Shared by RunInstances and Auto Scaling's launches.
import { resolveInstanceProfile } from "../../iam/instance-profiles.js";
import { SimError } from "../../../api/errors.js";
import type { LaunchRequest } from "../../../runtime.js";
import type { RegionState } from "../../../state/store.js";
import type {
  Image,
  KeyPair,
  LaunchTemplateData,
  SecurityGroup,
  Subnet,
  Tags,
} from "../../../state/types.js";
import { checkEc2Tags } from "../../common/tags.js";
import type { Ec2Context } from "../context.js";
import { checkVolumeParams } from "../ebs/volume-spec.js";
import { findTemplate, findVersion } from "../launch-templates/resolve.js";
import {
  defaultSecurityGroup,
  getImage,
  getKeyPair,
  getSnapshot,
  getSubnet,
  resolveSecurityGroups,
} from "../lookup.js";

export type BlockDeviceMappings = NonNullable<LaunchTemplateData["blockDeviceMappings"]>;

export interface MetadataOptions {
  httpTokens: "optional" | "required";
  httpEndpoint: "enabled" | "disabled";
  httpPutResponseHopLimit: number;
  instanceMetadataTags: "enabled" | "disabled";
}

export interface PreparedLaunch {
  req: LaunchRequest;
  subnet: Subnet;
  groups: SecurityGroup[];
  image: Image;
  keyPair?: KeyPair;
  mappings: BlockDeviceMappings;
  metadataOptions: MetadataOptions;
  instanceTags: Tags;
  volumeTags: Tags;
  hostKind: "full" | "light";
  /** The IAM instance profile, resolved by name or ARN. */
  iamInstanceProfile?: { arn: string; id: string };
}

const USER_DATA_LIMIT = 16 * 1024;

/** The profile must exist in IAM, as EC2 checks at launch (a launch template's is checked then too). */
function instanceProfile(
  ec2: Ec2Context,
  ref: { arn?: string; name?: string } | undefined,
): { arn: string; id: string } | undefined {
  if (!ref || (!ref.arn && !ref.name)) return undefined;
  const profile = resolveInstanceProfile(ec2.sim.state.iam, ref);
  if (!profile) {
    const [field, value] = ref.arn ? ["arn", ref.arn] : ["name", ref.name];
    throw new SimError(
      "InvalidParameterValue",
      `Value (${value}) for parameter iamInstanceProfile.${field} is invalid. Invalid IAM Instance Profile ${field === "arn" ? "ARN" : "name"}`,
    );
  }
  return { arn: profile.arn, id: profile.instanceProfileId };
}

export function prepareLaunch(ec2: Ec2Context, region: RegionState, req: LaunchRequest): PreparedLaunch {
  const fromTemplate = templateExtras(region, req);
  const subnet = getSubnet(region, req.subnetId);
  const groups = resolveSecurityGroups(region, subnet.vpcId, req.securityGroupIds, []);
  const image = getImage(region, req.imageId);
  const keyPair = req.keyName === undefined ? undefined : getKeyPair(region, req.keyName);
  const iamInstanceProfile = instanceProfile(ec2, req.iamInstanceProfile);
  checkUserData(req.userData);
  const mappings = req.blockDeviceMappings ?? fromTemplate.mappings ?? [];
  checkMappings(ec2, region, image, mappings);
  const instanceTags = { ...fromTemplate.instanceTags, ...req.tags };
  const volumeTags = { ...fromTemplate.volumeTags, ...req.volumeTags };
  checkEc2Tags(req.tags, { allowAwsPrefix: true });
  const meta = { ...fromTemplate.metadataOptions, ...req.metadataOptions };
  return {
    req,
    subnet,
    groups: groups.length ? groups : [defaultSecurityGroup(region, subnet.vpcId)],
    image,
    keyPair,
    iamInstanceProfile,
    mappings,
    metadataOptions: {
      httpTokens: req.httpTokens ?? meta.httpTokens ?? "optional",
      httpEndpoint: meta.httpEndpoint ?? "enabled",
      httpPutResponseHopLimit: meta.httpPutResponseHopLimit ?? 1,
      instanceMetadataTags: meta.instanceMetadataTags ?? "disabled",
    },
    instanceTags: { ...instanceTags, ...fromTemplate.systemTags },
    volumeTags,
    hostKind: req.hostKind ?? ec2.defaultHostKind,
  };
}

interface TemplateExtras {
  mappings?: BlockDeviceMappings;
  metadataOptions?: LaunchTemplateData["metadataOptions"];
  instanceTags?: Tags;
  volumeTags?: Tags;
  systemTags?: Tags;
}

/** What a launch template contributes beyond the request's own fields, and the tags EC2 adds. */
function templateExtras(region: RegionState, req: LaunchRequest): TemplateExtras {
  if (!req.launchTemplate) return {};
  const template = findTemplate(region, { launchTemplateId: req.launchTemplate.launchTemplateId });
  const version = findVersion(template, req.launchTemplate.version);
  const specs = version.data.tagSpecifications ?? [];
  const tagsOf = (type: string): Tags =>
    Object.assign({}, ...specs.filter((s) => s.resourceType === type).map((s) => s.tags)) as Tags;
  return {
    mappings: version.data.blockDeviceMappings,
    metadataOptions: version.data.metadataOptions,
    instanceTags: tagsOf("instance"),
    volumeTags: tagsOf("volume"),
    // EC2 tags every instance launched from a template with the template and version used.
    systemTags: {
      "aws:ec2launchtemplate:id": template.launchTemplateId,
      "aws:ec2launchtemplate:version": String(version.versionNumber),
    },
  };
}

function checkUserData(userData: string | undefined): void {
  if (userData === undefined) return;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(userData.replace(/\s/g, "")))
    throw new SimError("InvalidParameterValue", "Invalid BASE64 encoding of user data.");
  if (Buffer.from(userData, "base64").length > USER_DATA_LIMIT)
    throw new SimError("InvalidParameterValue", `User data is limited to ${USER_DATA_LIMIT} bytes`);
}

function checkMappings(
  ec2: Ec2Context,
  region: RegionState,
  image: Image,
  mappings: BlockDeviceMappings,
): void {
  const seen = new Set<string>();
  for (const m of mappings) {
    if (seen.has(m.deviceName))
      throw new SimError(
        "InvalidBlockDeviceMapping",
        `The device '${m.deviceName}' is used in more than one block-device mapping`,
      );
    seen.add(m.deviceName);
    if (!m.ebs || m.noDevice) continue;
    const isRoot = m.deviceName === image.rootDeviceName;
    const snapshotId = m.ebs.snapshotId ?? (isRoot ? image.rootSnapshotId : undefined);
    const snapshot = snapshotId ? getSnapshot(region, snapshotId, ec2.accountId) : undefined;
    checkVolumeParams({
      size: m.ebs.volumeSize ?? (isRoot ? image.rootVolumeSize : undefined),
      snapshotSize: snapshot?.volumeSize,
      volumeType: m.ebs.volumeType,
      iops: m.ebs.iops,
      throughput: m.ebs.throughput,
    });
  }
}
