// IAM, global to the account: roles, inline and managed policies, instance profiles. Requests are
// signed for "iam" in whatever region the client names; none of it depends on the region.
import type { QueryService } from "../types.js";
import {
  addRoleToInstanceProfile,
  createInstanceProfile,
  deleteInstanceProfile,
  getInstanceProfileOp,
  listInstanceProfiles,
  listInstanceProfilesForRole,
  removeRoleFromInstanceProfile,
} from "./instance-profiles.js";
import { createPolicy, deletePolicy, getPolicyOp } from "./policies.js";
import {
  attachRolePolicy,
  deleteRolePolicy,
  detachRolePolicy,
  getRolePolicy,
  listAttachedRolePolicies,
  listRolePolicies,
  putRolePolicy,
} from "./role-policies.js";
import { createRole, deleteRole, getRoleOp, listRoles } from "./roles.js";

export function iamService(): QueryService {
  return {
    name: "iam",
    version: "2010-05-08",
    xmlns: "https://iam.amazonaws.com/doc/2010-05-08/",
    throttleCode: "Throttling",
    global: true,
    ops: {
      CreateRole: createRole,
      GetRole: getRoleOp,
      DeleteRole: deleteRole,
      ListRoles: listRoles,
      PutRolePolicy: putRolePolicy,
      GetRolePolicy: getRolePolicy,
      DeleteRolePolicy: deleteRolePolicy,
      ListRolePolicies: listRolePolicies,
      AttachRolePolicy: attachRolePolicy,
      DetachRolePolicy: detachRolePolicy,
      ListAttachedRolePolicies: listAttachedRolePolicies,
      CreatePolicy: createPolicy,
      GetPolicy: getPolicyOp,
      DeletePolicy: deletePolicy,
      CreateInstanceProfile: createInstanceProfile,
      GetInstanceProfile: getInstanceProfileOp,
      DeleteInstanceProfile: deleteInstanceProfile,
      AddRoleToInstanceProfile: addRoleToInstanceProfile,
      RemoveRoleFromInstanceProfile: removeRoleFromInstanceProfile,
      ListInstanceProfiles: listInstanceProfiles,
      ListInstanceProfilesForRole: listInstanceProfilesForRole,
    },
  };
}
