// Step 1: who and where this instance is, from IMDSv2's instance identity document. The endpoint
// comes from AWS_EC2_METADATA_SERVICE_ENDPOINT (or the profile), so the same binary works on EC2
// and in the local region.
import { MetadataService } from "@aws-sdk/ec2-metadata-service";
import { StepError, messageOf } from "../../shared/errors.js";

export interface Identity {
  instanceId: string;
  region: string;
  availabilityZone: string;
  accountId: string;
  privateIp?: string;
}

/** The slice of MetadataService the step uses, so callers can pass one with other options. */
export interface Imds {
  request(path: string, options: { method?: string; headers?: Record<string, string> }): Promise<string>;
}

export function createImds(opts: { timeoutMs?: number; endpoint?: string } = {}): Imds {
  return new MetadataService({
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    httpOptions: { timeout: opts.timeoutMs ?? 2000 },
    // IMDSv2 only: a token is required, never fall back to the v1 request forgery surface.
    ec2MetadataV1Disabled: true,
    retries: 5,
    backoff: (failures: number) => Math.min(0.2 * 2 ** failures, 3),
  });
}

export const IDENTITY_DOCUMENT_PATH = "/latest/dynamic/instance-identity/document";

export async function readIdentity(imds: Imds): Promise<Identity> {
  let text: string;
  try {
    text = await imds.request(IDENTITY_DOCUMENT_PATH, {});
  } catch (err) {
    throw new StepError(
      "identity",
      `cannot read the instance identity document from IMDS: ${messageOf(err)}`,
      {
        cause: err,
      },
    );
  }
  return parseIdentityDocument(text);
}

export function parseIdentityDocument(text: string): Identity {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new StepError("identity", `the instance identity document is not JSON: ${text.slice(0, 100)}`);
  }
  const need = (key: string): string => {
    const v = doc[key];
    if (typeof v !== "string" || v === "") {
      throw new StepError("identity", `the instance identity document has no ${key}`);
    }
    return v;
  };
  const identity: Identity = {
    instanceId: need("instanceId"),
    region: need("region"),
    availabilityZone: need("availabilityZone"),
    accountId: need("accountId"),
  };
  if (typeof doc.privateIp === "string") identity.privateIp = doc.privateIp;
  return identity;
}
