// Tells the service of a request apart as AWS endpoints do for a shared host: by the SigV4
// credential scope (`Credential=AKID/date/region/service/aws4_request`), then the query `Version`.
import type { QueryServiceName } from "../services/types.js";

export interface Scope {
  region?: string;
  service?: string;
}

export function credentialScope(
  headers: Record<string, string | string[] | undefined>,
  query: URLSearchParams,
): Scope {
  const auth = headers["authorization"];
  const credential =
    (typeof auth === "string" ? /Credential=([^,\s]+)/.exec(auth)?.[1] : undefined) ??
    query.get("X-Amz-Credential") ??
    undefined;
  if (!credential) return {};
  const parts = credential.split("/");
  // AKID/yyyymmdd/region/service/aws4_request
  return { region: parts[2], service: parts[3] };
}

const VERSIONS: Record<string, QueryServiceName> = {
  "2016-11-15": "ec2",
  "2011-01-01": "autoscaling",
  "2012-06-01": "elb",
  "2015-12-01": "elbv2",
  "2010-05-08": "iam",
};

/** The query service a request is for, or undefined when it is not a query-protocol call (S3). */
export function queryService(
  scope: Scope,
  version: string | null,
  action: string | null,
): QueryServiceName | undefined {
  if (!action) return undefined;
  if (scope.service === "ec2") return "ec2";
  if (scope.service === "autoscaling") return "autoscaling";
  if (scope.service === "iam") return "iam";
  if (scope.service === "elasticloadbalancing") return version === "2015-12-01" ? "elbv2" : "elb";
  if (scope.service === "s3") return undefined;
  return version ? VERSIONS[version] : undefined;
}
