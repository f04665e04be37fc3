// EC2's operation table: action name to handler.
import type { Ec2Op } from "./context.js";
import { describeInstanceAttribute, modifyInstanceAttribute } from "./instances/attribute.js";
import { describeInstances } from "./instances/describe.js";
import { rebootInstances, startInstances, stopInstances } from "./instances/power.js";
import { runInstances } from "./instances/run.js";
import { describeInstanceStatus } from "./instances/status.js";
import { terminateInstances } from "./instances/terminate.js";
import { createLaunchTemplate, createLaunchTemplateVersion } from "./launch-templates/create.js";
import { describeLaunchTemplates, describeLaunchTemplateVersions } from "./launch-templates/describe.js";
import {
  deleteLaunchTemplate,
  deleteLaunchTemplateVersions,
  modifyLaunchTemplate,
} from "./launch-templates/modify.js";
import { attachVolume, detachVolume } from "./ebs/attach.js";
import { copySnapshot, createSnapshot, deleteSnapshot, describeSnapshots } from "./ebs/snapshots.js";
import { createVolume, deleteVolume, describeVolumes, describeVolumeStatus } from "./ebs/volumes.js";
import { getConsoleOutput } from "./instances/console.js";
import { describeImages } from "./network/images.js";
import { createKeyPair, deleteKeyPair, describeKeyPairs, importKeyPair } from "./network/key-pairs.js";
import {
  createSecurityGroup,
  deleteSecurityGroup,
  describeSecurityGroups,
} from "./network/security-groups.js";
import { authorizeSecurityGroupIngress } from "./network/security-group-rules.js";
import { createSubnet, deleteSubnet, describeSubnets } from "./network/subnets.js";
import { createVpc, deleteVpc, describeVpcs } from "./network/vpcs.js";
import { describeAvailabilityZones, describeRegions } from "./regions.js";
import { createTags, deleteTags, describeTags } from "./tag-ops.js";

export const EC2_OPS: Record<string, Ec2Op> = {
  DescribeRegions: describeRegions,
  DescribeAvailabilityZones: describeAvailabilityZones,
  CreateVpc: createVpc,
  DescribeVpcs: describeVpcs,
  DeleteVpc: deleteVpc,
  CreateSubnet: createSubnet,
  DescribeSubnets: describeSubnets,
  DeleteSubnet: deleteSubnet,
  CreateSecurityGroup: createSecurityGroup,
  DescribeSecurityGroups: describeSecurityGroups,
  DeleteSecurityGroup: deleteSecurityGroup,
  AuthorizeSecurityGroupIngress: authorizeSecurityGroupIngress,
  DescribeImages: describeImages,
  CreateKeyPair: createKeyPair,
  ImportKeyPair: importKeyPair,
  DescribeKeyPairs: describeKeyPairs,
  DeleteKeyPair: deleteKeyPair,
  RunInstances: runInstances,
  DescribeInstances: describeInstances,
  TerminateInstances: terminateInstances,
  StopInstances: stopInstances,
  StartInstances: startInstances,
  RebootInstances: rebootInstances,
  DescribeInstanceStatus: describeInstanceStatus,
  ModifyInstanceAttribute: modifyInstanceAttribute,
  DescribeInstanceAttribute: describeInstanceAttribute,
  GetConsoleOutput: getConsoleOutput,
  CreateVolume: createVolume,
  DescribeVolumes: describeVolumes,
  DeleteVolume: deleteVolume,
  DescribeVolumeStatus: describeVolumeStatus,
  AttachVolume: attachVolume,
  DetachVolume: detachVolume,
  CreateSnapshot: createSnapshot,
  DescribeSnapshots: describeSnapshots,
  DeleteSnapshot: deleteSnapshot,
  CopySnapshot: copySnapshot,
  CreateTags: createTags,
  DeleteTags: deleteTags,
  DescribeTags: describeTags,
  CreateLaunchTemplate: createLaunchTemplate,
  CreateLaunchTemplateVersion: createLaunchTemplateVersion,
  DescribeLaunchTemplates: describeLaunchTemplates,
  DescribeLaunchTemplateVersions: describeLaunchTemplateVersions,
  ModifyLaunchTemplate: modifyLaunchTemplate,
  DeleteLaunchTemplate: deleteLaunchTemplate,
  DeleteLaunchTemplateVersions: deleteLaunchTemplateVersions,
};
