// Customer managed policies: CreatePolicy, GetPolicy, DeletePolicy (one version, v1).
import type { OpHandler } from "../types.js";
import { alreadyExists, deleteConflict, noSuchEntity } from "./errors.js";
import { iamId } from "./ids.js";
import { policyShape } from "./shapes.js";
import type { IamPolicy, IamState } from "../../state/iam.js";
import { name, path, policyDocument } from "./validate.js";

function getPolicy(iam: IamState, arn: string | undefined): IamPolicy {
  const p = arn ? iam.policies.get(arn) : undefined;
  if (!p) throw noSuchEntity(`Policy ${arn ?? ""} was not found.`);
  return p;
}

export const createPolicy: OpHandler = ({ sim, params }) => {
  const iam = sim.state.iam;
  const policyName = name(params, "PolicyName", 128);
  const p = path(params);
  const document = policyDocument(params, "PolicyDocument");
  const arn = `arn:aws:iam::${sim.options.accountId}:policy${p}${policyName}`;
  if (iam.policies.has(arn))
    throw alreadyExists(`A policy called ${policyName} already exists. Duplicate names are not allowed.`);
  const policy: IamPolicy = {
    policyName,
    policyId: iamId("ANPA"),
    arn,
    path: p,
    description: params.str("Description"),
    document,
    createDate: new Date(sim.clock.now()),
  };
  iam.policies.set(arn, policy);
  return { Policy: policyShape(iam, policy) };
};

export const getPolicyOp: OpHandler = ({ sim, params }) => ({
  Policy: policyShape(sim.state.iam, getPolicy(sim.state.iam, params.str("PolicyArn"))),
});

export const deletePolicy: OpHandler = ({ sim, params }) => {
  const iam = sim.state.iam;
  const policy = getPolicy(iam, params.str("PolicyArn"));
  if ([...iam.roles.values()].some((r) => r.attachedPolicyArns.includes(policy.arn)))
    throw deleteConflict("Cannot delete a policy attached to entities.");
  iam.policies.delete(policy.arn);
  return undefined;
};
