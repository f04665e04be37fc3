// CreateRole, GetRole, DeleteRole, ListRoles.
import type { OpHandler } from "../types.js";
import { alreadyExists, deleteConflict, noSuchEntity } from "./errors.js";
import { iamId } from "./ids.js";
import { roleShape } from "./shapes.js";
import type { IamRole, IamState } from "../../state/iam.js";
import { name, path, policyDocument } from "./validate.js";

export function getRole(iam: IamState, roleName: string): IamRole {
  const r = iam.roles.get(roleName);
  if (!r) throw noSuchEntity(`The role with name ${roleName} cannot be found.`);
  return r;
}

export const createRole: OpHandler = ({ sim, params }) => {
  const iam = sim.state.iam;
  const roleName = name(params, "RoleName", 64);
  const p = path(params);
  const document = policyDocument(params, "AssumeRolePolicyDocument");
  if (iam.roles.has(roleName)) throw alreadyExists(`Role with name ${roleName} already exists.`);
  const role: IamRole = {
    roleName,
    roleId: iamId("AROA"),
    arn: `arn:aws:iam::${sim.options.accountId}:role${p}${roleName}`,
    path: p,
    createDate: new Date(sim.clock.now()),
    assumeRolePolicyDocument: document,
    description: params.str("Description"),
    maxSessionDuration: params.int("MaxSessionDuration") ?? 3600,
    inlinePolicies: new Map(),
    attachedPolicyArns: [],
  };
  iam.roles.set(roleName, role);
  return { Role: roleShape(role) };
};

export const getRoleOp: OpHandler = ({ sim, params }) => ({
  Role: roleShape(getRole(sim.state.iam, name(params, "RoleName", 64))),
});

export const deleteRole: OpHandler = ({ sim, params }) => {
  const iam = sim.state.iam;
  const role = getRole(iam, name(params, "RoleName", 64));
  if (role.inlinePolicies.size > 0) throw deleteConflict("Cannot delete entity, must delete policies first.");
  if (role.attachedPolicyArns.length > 0)
    throw deleteConflict("Cannot delete entity, must detach all policies first.");
  if ([...iam.instanceProfiles.values()].some((p) => p.roleNames.includes(role.roleName)))
    throw deleteConflict("Cannot delete entity, must remove roles from instance profile first.");
  iam.roles.delete(role.roleName);
  return undefined;
};

export const listRoles: OpHandler = ({ sim, params }) => {
  const prefix = params.str("PathPrefix") ?? "/";
  const roles = [...sim.state.iam.roles.values()].filter((r) => r.path.startsWith(prefix));
  return { Roles: roles.map(roleShape), IsTruncated: false };
};
