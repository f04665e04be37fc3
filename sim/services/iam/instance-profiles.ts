// Instance profiles: CreateInstanceProfile, GetInstanceProfile, DeleteInstanceProfile,
// AddRoleToInstanceProfile, RemoveRoleFromInstanceProfile, ListInstanceProfiles,
// ListInstanceProfilesForRole. A profile holds at most one role, as in AWS.
import type { OpHandler } from "../types.js";
import { alreadyExists, deleteConflict, limitExceeded, noSuchEntity } from "./errors.js";
import { iamId } from "./ids.js";
import { getRole } from "./roles.js";
import { instanceProfileShape } from "./shapes.js";
import type { IamInstanceProfile, IamState } from "../../state/iam.js";
import { name, path } from "./validate.js";

export function getInstanceProfile(iam: IamState, profileName: string): IamInstanceProfile {
  const p = iam.instanceProfiles.get(profileName);
  if (!p) throw noSuchEntity(`Instance Profile ${profileName} cannot be found.`);
  return p;
}

export const createInstanceProfile: OpHandler = ({ sim, params }) => {
  const iam = sim.state.iam;
  const profileName = name(params, "InstanceProfileName", 128);
  const p = path(params);
  if (iam.instanceProfiles.has(profileName))
    throw alreadyExists(`Instance Profile ${profileName} already exists.`);
  const profile: IamInstanceProfile = {
    instanceProfileName: profileName,
    instanceProfileId: iamId("AIPA"),
    arn: `arn:aws:iam::${sim.options.accountId}:instance-profile${p}${profileName}`,
    path: p,
    createDate: new Date(sim.clock.now()),
    roleNames: [],
  };
  iam.instanceProfiles.set(profileName, profile);
  return { InstanceProfile: instanceProfileShape(iam, profile) };
};

export const getInstanceProfileOp: OpHandler = ({ sim, params }) => ({
  InstanceProfile: instanceProfileShape(
    sim.state.iam,
    getInstanceProfile(sim.state.iam, name(params, "InstanceProfileName", 128)),
  ),
});

export const deleteInstanceProfile: OpHandler = ({ sim, params }) => {
  const iam = sim.state.iam;
  const profile = getInstanceProfile(iam, name(params, "InstanceProfileName", 128));
  if (profile.roleNames.length > 0)
    throw deleteConflict("Cannot delete entity, must remove roles from instance profile first.");
  iam.instanceProfiles.delete(profile.instanceProfileName);
  return undefined;
};

export const addRoleToInstanceProfile: OpHandler = ({ sim, params }) => {
  const iam = sim.state.iam;
  const profile = getInstanceProfile(iam, name(params, "InstanceProfileName", 128));
  const role = getRole(iam, name(params, "RoleName", 64));
  if (profile.roleNames.includes(role.roleName))
    throw limitExceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
  if (profile.roleNames.length >= 1)
    throw limitExceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
  profile.roleNames.push(role.roleName);
  return undefined;
};

export const removeRoleFromInstanceProfile: OpHandler = ({ sim, params }) => {
  const iam = sim.state.iam;
  const profile = getInstanceProfile(iam, name(params, "InstanceProfileName", 128));
  const roleName = name(params, "RoleName", 64);
  getRole(iam, roleName);
  if (!profile.roleNames.includes(roleName))
    throw noSuchEntity(`The role with name ${roleName} cannot be found.`);
  profile.roleNames = profile.roleNames.filter((n) => n !== roleName);
  return undefined;
};

export const listInstanceProfiles: OpHandler = ({ sim, params }) => {
  const iam = sim.state.iam;
  const prefix = params.str("PathPrefix") ?? "/";
  const profiles = [...iam.instanceProfiles.values()].filter((p) => p.path.startsWith(prefix));
  return { InstanceProfiles: profiles.map((p) => instanceProfileShape(iam, p)), IsTruncated: false };
};

export const listInstanceProfilesForRole: OpHandler = ({ sim, params }) => {
  const iam = sim.state.iam;
  const role = getRole(iam, name(params, "RoleName", 64));
  const profiles = [...iam.instanceProfiles.values()].filter((p) => p.roleNames.includes(role.roleName));
  return { InstanceProfiles: profiles.map((p) => instanceProfileShape(iam, p)), IsTruncated: false };
};

/** An instance profile given to RunInstances or a launch template, by Name or Arn; EC2's error otherwise. */
export function resolveInstanceProfile(
  iam: IamState,
  ref: { arn?: string; name?: string },
): IamInstanceProfile | undefined {
  const byArn = ref.arn ? [...iam.instanceProfiles.values()].find((p) => p.arn === ref.arn) : undefined;
  return byArn ?? (ref.name ? iam.instanceProfiles.get(ref.name) : undefined);
}
