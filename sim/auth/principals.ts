// Who signed a request, by access key id: keys bound to policy documents through the control API,
// and the role credentials an instance's metadata service hands out (its instance profile role's
// policies, read from the sim's IAM state at each request, with ec2:SourceInstanceARN set to that
// instance). Any other key is the region's administrator (subject only to the action allow-list).
import { createHash } from "node:crypto";
import type { IamState } from "../state/iam.js";
import type { PolicyDocument } from "./evaluate.js";

export interface Principal {
  /** Named in refusals, as AWS names the caller. */
  arn: string;
  /** The policies in force; read at each request so a role's later changes apply. */
  policies(): PolicyDocument[];
  /** Context keys every request of this principal carries. */
  keys: Record<string, string>;
  /** Instance role credentials are evaluated only while role enforcement is on. */
  instanceRole: boolean;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export class Principals {
  private readonly byKey = new Map<string, Principal>();
  /** Whether instance role credentials are held to their role's policies (off: they may do anything). */
  enforceInstanceRoles = false;

  bind(accessKeyId: string, principal: Principal): void {
    this.byKey.set(accessKeyId, principal);
  }

  unbind(accessKeyId: string): boolean {
    return this.byKey.delete(accessKeyId);
  }

  /** The principal whose policies decide a request signed with this key, if any. */
  evaluated(accessKeyId: string | undefined): Principal | undefined {
    const p = accessKeyId === undefined ? undefined : this.byKey.get(accessKeyId);
    if (!p || (p.instanceRole && !this.enforceInstanceRoles)) return undefined;
    return p;
  }

  list(): { accessKeyId: string; arn: string; keys: Record<string, string> }[] {
    return [...this.byKey].map(([accessKeyId, p]) => ({ accessKeyId, arn: p.arn, keys: p.keys }));
  }
}

/** Stable per-instance role credentials, so an instance's IMDS answers the same key across reads. */
export function instanceRoleCredentials(instanceId: string): Credentials {
  const h = createHash("sha256").update(instanceId).digest("hex").toUpperCase();
  return { accessKeyId: `ASIA${h.slice(0, 16)}`, secretAccessKey: `sim-role-${h.slice(16, 56)}` };
}

/** A role's inline and attached managed policies, parsed; unparsable documents grant nothing. */
export function rolePolicies(iam: IamState, roleName: string): PolicyDocument[] {
  const role = iam.roles.get(roleName);
  if (!role) return [];
  const texts = [
    ...role.inlinePolicies.values(),
    ...role.attachedPolicyArns.flatMap((arn) => {
      const p = iam.policies.get(arn);
      return p ? [p.document] : [];
    }),
  ];
  return texts.flatMap((t) => {
    try {
      return [JSON.parse(t) as PolicyDocument];
    } catch {
      return [];
    }
  });
}
