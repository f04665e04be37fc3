// A role's inline policies (PutRolePolicy, GetRolePolicy, DeleteRolePolicy, ListRolePolicies) and
// its attached managed policies (AttachRolePolicy, DetachRolePolicy, ListAttachedRolePolicies).
import type { OpHandler } from "../types.js";
import { noSuchEntity, validation } from "./errors.js";
import { getRole } from "./roles.js";
import type { IamState } from "../../state/iam.js";
import { encodeDocument, name, policyDocument } from "./validate.js";

export const putRolePolicy: OpHandler = ({ sim, params }) => {
  const role = getRole(sim.state.iam, name(params, "RoleName", 64));
  const policyName = name(params, "PolicyName", 128);
  role.inlinePolicies.set(policyName, policyDocument(params, "PolicyDocument"));
  return undefined;
};

function inline(iam: IamState, roleName: string, policyName: string): string {
  const doc = getRole(iam, roleName).inlinePolicies.get(policyName);
  if (doc === undefined) throw noSuchEntity(`The role policy with name ${policyName} cannot be found.`);
  return doc;
}

export const getRolePolicy: OpHandler = ({ sim, params }) => {
  const roleName = name(params, "RoleName", 64);
  const policyName = name(params, "PolicyName", 128);
  const doc = inline(sim.state.iam, roleName, policyName);
  return { RoleName: roleName, PolicyName: policyName, PolicyDocument: encodeDocument(doc) };
};

export const deleteRolePolicy: OpHandler = ({ sim, params }) => {
  const roleName = name(params, "RoleName", 64);
  const policyName = name(params, "PolicyName", 128);
  inline(sim.state.iam, roleName, policyName);
  getRole(sim.state.iam, roleName).inlinePolicies.delete(policyName);
  return undefined;
};

export const listRolePolicies: OpHandler = ({ sim, params }) => {
  const role = getRole(sim.state.iam, name(params, "RoleName", 64));
  return { PolicyNames: [...role.inlinePolicies.keys()].sort(), IsTruncated: false };
};

/** AWS managed policies (account "aws") are taken to exist; customer ones must have been created. */
function policyArn(iam: IamState, arn: string | undefined): string {
  if (!arn || !/^arn:aws:iam::(aws|\d{12}):policy\/.+/.test(arn))
    throw validation(`ARN ${arn ?? ""} is not valid.`);
  if (!arn.startsWith("arn:aws:iam::aws:") && !iam.policies.has(arn))
    throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return arn;
}

export const attachRolePolicy: OpHandler = ({ sim, params }) => {
  const role = getRole(sim.state.iam, name(params, "RoleName", 64));
  const arn = policyArn(sim.state.iam, params.str("PolicyArn"));
  if (!role.attachedPolicyArns.includes(arn)) role.attachedPolicyArns.push(arn);
  return undefined;
};

export const detachRolePolicy: OpHandler = ({ sim, params }) => {
  const role = getRole(sim.state.iam, name(params, "RoleName", 64));
  const arn = params.str("PolicyArn") ?? "";
  if (!role.attachedPolicyArns.includes(arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
  role.attachedPolicyArns = role.attachedPolicyArns.filter((a) => a !== arn);
  return undefined;
};

export const listAttachedRolePolicies: OpHandler = ({ sim, params }) => {
  const role = getRole(sim.state.iam, name(params, "RoleName", 64));
  return {
    AttachedPolicies: role.attachedPolicyArns.map((arn) => ({
      PolicyName: arn.split("/").pop(),
      PolicyArn: arn,
    })),
    IsTruncated: false,
  };
};
