// Response shapes of IAM entities.
import type { XmlValue } from "../../api/xml.js";
import type { IamInstanceProfile, IamPolicy, IamRole, IamState } from "../../state/iam.js";
import { encodeDocument } from "./validate.js";

export const roleShape = (r: IamRole): XmlValue => ({
  Path: r.path,
  RoleName: r.roleName,
  RoleId: r.roleId,
  Arn: r.arn,
  CreateDate: r.createDate,
  AssumeRolePolicyDocument: encodeDocument(r.assumeRolePolicyDocument),
  Description: r.description,
  MaxSessionDuration: r.maxSessionDuration,
});

export const instanceProfileShape = (iam: IamState, p: IamInstanceProfile): XmlValue => ({
  Path: p.path,
  InstanceProfileName: p.instanceProfileName,
  InstanceProfileId: p.instanceProfileId,
  Arn: p.arn,
  CreateDate: p.createDate,
  Roles: p.roleNames.flatMap((n) => {
    const r = iam.roles.get(n);
    return r ? [roleShape(r)] : [];
  }),
});

export const policyShape = (iam: IamState, p: IamPolicy): XmlValue => ({
  PolicyName: p.policyName,
  PolicyId: p.policyId,
  Arn: p.arn,
  Path: p.path,
  DefaultVersionId: "v1",
  AttachmentCount: [...iam.roles.values()].filter((r) => r.attachedPolicyArns.includes(p.arn)).length,
  PermissionsBoundaryUsageCount: 0,
  IsAttachable: true,
  Description: p.description,
  CreateDate: p.createDate,
  UpdateDate: p.createDate,
});
