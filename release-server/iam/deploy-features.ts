// What a deploy host's policy depends on, read from the environment (and the model when given):
// launch template or configuration, load balancer kinds, delegated destroy, S3 user_data, instance
// profiles, the lifecycle hook, ECR images, limited-permissions mode.
import type { Ec2AsgConfig } from "#shared/config/ec2-asg-schema.js";
import { componentSettings } from "#shared/config/component-settings.js";
import type { LaunchConfigKind } from "#shared/config/launch-config.js";
import type { Model } from "#shared/config/model.js";
import { parseEcrHost } from "#shared/registry/ecr.js";
import { tagKeys, type TagKeys } from "../deploy/tags.js";

export interface DeployFeatures {
  limited: boolean;
  /** Confines group changes to groups tagged for this project. */
  project?: string;
  tags: TagKeys;
  launchKinds: LaunchConfigKind[];
  /** `vpc` is set: looked up with DescribeVpcs (home_vpc alone asks IMDS). */
  vpcLookup: boolean;
  classicLb: boolean;
  targetGroups: boolean;
  delegatedDestroy: boolean;
  lifecycleHook: boolean;
  /** rollout.keep_old_slot: the old slot is kept (tagged with its time) for a fast rollback. */
  keepOldSlot: boolean;
  /** user_data objects read from S3 ("bucket/key"). */
  userDataObjects: string[];
  /** Instance profiles the launch settings name (iam:PassRole). */
  profiles: string[];
  /** launch_config.key is set somewhere: the key pairs are checked (DescribeKeyPairs). */
  keyPairs: boolean;
  /** image_check_type docker with images in ECR (or no model to tell). */
  ecr: boolean;
}

export interface DeployFeatureInput {
  config: Ec2AsgConfig;
  limitedPermissions: boolean;
  model?: Model;
  project?: string;
}

export function deployFeatures(input: DeployFeatureInput): DeployFeatures {
  const { config, model } = input;
  // Without a model any component may use the global launch settings ("" has no settings of its own).
  const components = [
    ...new Set([...(model ? Object.keys(model.components) : [""]), ...Object.keys(config.components)]),
  ];
  const launch = components.map((c) => componentSettings(config, c).launch_config);
  const bindings = Object.values(config.lb).filter((b) => b !== null && b !== undefined);
  const userData = launch.flatMap((lc) =>
    typeof lc.user_data === "object" && lc.user_data !== null ? [lc.user_data.s3] : [],
  );
  const images = Object.values(model?.components ?? {}).map((c) => c.image);
  return {
    limited: input.limitedPermissions,
    ...(input.project ? { project: input.project } : {}),
    tags: tagKeys(config.tag_prefix),
    launchKinds: [...new Set(launch.map((lc) => lc.kind))].sort(),
    vpcLookup: config.vpc !== undefined,
    classicLb: bindings.some((b) => typeof b === "string"),
    targetGroups: bindings.some((b) => typeof b === "object"),
    delegatedDestroy: (config.delegated_destroy?.components.length ?? 0) > 0,
    lifecycleHook: config.lifecycle_hook.enabled,
    keepOldSlot: config.rollout.keep_old_slot > 0,
    userDataObjects: [...new Set(userData)].sort(),
    profiles: [...new Set(launch.flatMap((lc) => (lc.profile ? [lc.profile] : [])))].sort(),
    keyPairs: launch.some((lc) => lc.key !== undefined),
    ecr: config.image_check_type === "docker" && (model === undefined || images.some(isEcrImage)),
  };
}

function isEcrImage(image: string): boolean {
  const first = image.split("/")[0] ?? "";
  return image.includes("/") && parseEcrHost(first) !== undefined;
}
