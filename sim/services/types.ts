// What a query-protocol service is to the HTTP layer: a table of operations. Each operation gets
// the region it was called in and typed parameters, and returns a value tree for api/xml.ts.
import type { ParamReader } from "../api/params.js";
import type { XmlValue } from "../api/xml.js";
import type { RegionState } from "../state/store.js";
import type { Sim } from "../runtime.js";

export type QueryServiceName = "ec2" | "autoscaling" | "elb" | "elbv2" | "iam";

export interface OpContext {
  sim: Sim;
  region: RegionState;
  params: ParamReader;
  action: string;
  requestId: string;
}

export type OpHandler = (ctx: OpContext) => XmlValue | Promise<XmlValue>;

export interface QueryService {
  name: QueryServiceName;
  /** API version the service's clients send in `Version`. */
  version: string;
  xmlns: string;
  ops: Record<string, OpHandler>;
  /** The error code this service throttles with (EC2: RequestLimitExceeded, others: Throttling). */
  throttleCode: string;
  /** A global service (IAM): served whatever region the request is signed for. */
  global?: boolean;
}

export interface RestRequest {
  method: string;
  /** decoded path, e.g. `/bucket/some/key` */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  requestId: string;
}

export interface RestResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** S3 speaks REST-XML rather than the query protocol. */
export type RestHandler = (sim: Sim, region: string, req: RestRequest) => Promise<RestResponse>;
