// Whether a signed request may run: a principal with policies (a bound access key, or an instance's
// role credentials while role enforcement is on) has every authorization request of the call
// evaluated against its policies; any other caller is held only to the action allow-list, if set.
import type { Sim } from "../runtime.js";
import { evaluate, type AuthRequest } from "./evaluate.js";

export interface Refusal {
  action: string;
  /** The policy decision's words; absent for the allow-list. */
  message?: string;
}

/** The access key id of a SigV4-signed request (header or presigned query). */
export function accessKeyOf(
  headers: Record<string, string | string[] | undefined>,
  query: URLSearchParams,
): string | undefined {
  const auth = headers["authorization"];
  const credential =
    (typeof auth === "string" ? /Credential=([^,\s]+)/.exec(auth)?.[1] : undefined) ??
    query.get("X-Amz-Credential") ??
    undefined;
  return credential?.split("/")[0];
}

/**
 * The first request refused, or undefined when all may run. `requests()` is built only when a
 * principal's policies decide, so calls under the allow-list cost nothing more.
 */
export function authorize(
  sim: Sim,
  accessKeyId: string | undefined,
  calledActions: readonly string[],
  requests: () => AuthRequest[],
): Refusal | undefined {
  const principal = sim.principals.evaluated(accessKeyId);
  if (!principal) {
    const allowed = sim.options.allowActions;
    const refused = allowed && calledActions.find((a) => !allowed.includes(a));
    return refused ? { action: refused } : undefined;
  }
  const policies = principal.policies();
  for (const r of requests()) {
    const decision = evaluate(policies, { ...r, keys: { ...principal.keys, ...r.keys } });
    if (decision === "allow") continue;
    const why =
      decision === "explicit-deny"
        ? "with an explicit deny in an identity-based policy"
        : `because no identity-based policy allows the ${r.action} action`;
    return {
      action: r.action,
      message: `You are not authorized to perform this operation. User: ${principal.arn} is not authorized to perform: ${r.action} on resource: ${r.resource} ${why}`,
    };
  }
  return undefined;
}
