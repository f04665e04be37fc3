// `asg-release iam-policy`: the policy documents of the chosen roles for the configured features.
import type { Environment } from "#shared/config/environment.js";
import type { Model } from "#shared/config/model.js";
import { deployFeatures } from "./deploy-features.js";
import { deployGrants } from "./deploy-permissions.js";
import { instanceGrants } from "./instance-permissions.js";
import { buildPolicy, type PolicyDocument } from "./policy.js";
import { serverGrants } from "./server-permissions.js";
import type { Role } from "./roles.js";

export { roles, type Role } from "./roles.js";

export interface PolicyRequest {
  environment: Environment;
  model?: Model;
  project?: string;
  /** The release pointer's S3 object ("bucket/key"), for the instance and release-server roles. */
  pointerObject?: string;
}

export function rolePolicy(role: Role, req: PolicyRequest): PolicyDocument {
  const config = req.environment.ec2Asg;
  switch (role) {
    case "deploy":
      return buildPolicy(
        deployGrants(
          deployFeatures({
            config,
            limitedPermissions: req.environment.limitedPermissions,
            ...(req.model ? { model: req.model } : {}),
            ...(req.project ? { project: req.project } : {}),
          }),
        ),
      );
    case "instance":
      return buildPolicy(
        instanceGrants({
          lifecycleHook: config.lifecycle_hook.enabled && !req.environment.limitedPermissions,
          ...(req.pointerObject ? { pointerObject: req.pointerObject } : {}),
          ...(req.project ? { project: req.project } : {}),
        }),
      );
    case "release-server":
      return buildPolicy(
        serverGrants({
          ...(req.pointerObject ? { pointerObject: req.pointerObject } : {}),
          ...(req.project ? { project: req.project } : {}),
        }),
      );
  }
}
