// One query-protocol call: account it, authorize it (the caller's IAM policies, or the action
// allow-list), apply injected faults, run the operation, and shape the result or error as the
// service's protocol does.
import { setTimeout as sleep } from "node:timers/promises";
import { authorize } from "../auth/authorize.js";
import { autoscalingRequests } from "../auth/autoscaling-requests.js";
import { ec2Requests } from "../auth/ec2-requests.js";
import type { Sim } from "../runtime.js";
import type { RegionState } from "../state/store.js";
import type { QueryService } from "../services/types.js";
import { SimError } from "./errors.js";
import { ParamReader, type Params } from "./params.js";
import { queryError, queryResult } from "./respond.js";

export interface DispatchResult {
  status: number;
  body: string;
}

export async function dispatchQuery(
  sim: Sim,
  service: QueryService,
  regionName: string,
  action: string,
  params: Params,
  requestId: string,
  accessKeyId?: string,
): Promise<DispatchResult> {
  const op = `${service.name}:${action}`;
  sim.faults.count(op);
  try {
    // A global service's state is the account's: any served region will do for the context.
    const region =
      sim.state.region(regionName) ?? (service.global ? sim.state.regions.values().next().value : undefined);
    if (!region)
      throw new SimError("UnrecognizedClientException", `The region '${regionName}' is not served here`, 400);
    const name = iamAction(service, action);
    const refusal = authorize(sim, accessKeyId, [name], () =>
      authRequests(sim, service, region, action, new ParamReader(params)),
    );
    if (refusal) {
      throw service.name === "ec2"
        ? new SimError(
            "UnauthorizedOperation",
            refusal.message ?? `You are not authorized to perform: ${refusal.action}`,
            403,
          )
        : new SimError(
            "AccessDenied",
            refusal.message ?? `User is not authorized to perform: ${refusal.action}`,
            403,
          );
    }
    const latency = sim.faults.latency(op);
    if (latency > 0) await sleep(latency);
    const fault = sim.faults.decide(op);
    if (fault.kind === "throttle") throw throttle(service);
    if (fault.kind === "error")
      throw new SimError(
        service.name === "ec2" ? "InternalError" : "InternalFailure",
        "An internal error has occurred",
        500,
      );
    if (fault.kind === "fail")
      throw fault.code
        ? new SimError(fault.code, `Injected failure of ${op}`, statusOf(fault.code))
        : throttle(service);
    const handler = service.ops[action];
    if (!handler)
      throw new SimError("InvalidAction", `The action ${action} is not valid for this web service.`, 400);
    const result = await handler({ sim, region, params: new ParamReader(params), action, requestId });
    return { status: 200, body: queryResult(service, action, requestId, result) };
  } catch (err) {
    const simErr = err instanceof SimError ? err : internal(sim, op, err);
    return { status: simErr.status, body: queryError(service, simErr, requestId) };
  }
}

/** What a call is authorized on: EC2's and Auto Scaling's resources; the other services' actions on "*". */
function authRequests(
  sim: Sim,
  service: QueryService,
  region: RegionState,
  action: string,
  params: ParamReader,
) {
  const input = { action, params, region, accountId: sim.options.accountId };
  if (service.name === "ec2") return ec2Requests(input);
  if (service.name === "autoscaling") return autoscalingRequests(input);
  return [{ action: iamAction(service, action), resource: "*", keys: {} }];
}

/** The IAM action name of an operation, as a policy would list it. */
export function iamAction(service: QueryService, action: string): string {
  const prefix = service.name === "elb" || service.name === "elbv2" ? "elasticloadbalancing" : service.name;
  return `${prefix}:${action}`;
}

function throttle(service: QueryService): SimError {
  return new SimError(service.throttleCode, "Rate exceeded", service.name === "ec2" ? 503 : 400);
}

function statusOf(code: string): number {
  if (/^(InternalError|InternalFailure)$/.test(code)) return 500;
  if (/^(ServiceUnavailable|RequestLimitExceeded)$/.test(code)) return 503;
  return 400;
}

function internal(sim: Sim, op: string, err: unknown): SimError {
  sim.recordError(op, err);
  return new SimError(
    "InternalError",
    `internal error in ${op}: ${err instanceof Error ? err.message : String(err)}`,
    500,
  );
}
