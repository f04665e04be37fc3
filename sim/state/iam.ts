// IAM's entities, global to the account (not per region): roles with their inline policies and
// attached managed policies, instance profiles, and customer managed policies.
export interface IamRole {
  roleName: string;
  roleId: string;
  arn: string;
  path: string;
  createDate: Date;
  /** JSON text as given. */
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  inlinePolicies: Map<string, string>;
  attachedPolicyArns: string[];
}

export interface IamInstanceProfile {
  instanceProfileName: string;
  instanceProfileId: string;
  arn: string;
  path: string;
  createDate: Date;
  roleNames: string[];
}

export interface IamPolicy {
  policyName: string;
  policyId: string;
  arn: string;
  path: string;
  description?: string;
  document: string;
  createDate: Date;
}

export class IamState {
  readonly roles = new Map<string, IamRole>();
  readonly instanceProfiles = new Map<string, IamInstanceProfile>();
  /** By ARN. */
  readonly policies = new Map<string, IamPolicy>();

  toJSON(): Record<string, unknown> {
    return {
      roles: [...this.roles.values()].map((r) => ({
        ...r,
        inlinePolicies: Object.fromEntries(r.inlinePolicies),
      })),
      instanceProfiles: [...this.instanceProfiles.values()],
      policies: [...this.policies.values()],
    };
  }
}
