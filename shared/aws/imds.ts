// The instance metadata service (IMDSv2), the product's one client of it: who and where this
// instance is (the identity document) and which VPC it is in. The endpoint is the SDK's:
// AWS_EC2_METADATA_SERVICE_ENDPOINT or the profile's ec2_metadata_service_endpoint, else
// 169.254.169.254, so the same code runs on EC2 and in the local region.
import { MetadataService } from "@aws-sdk/ec2-metadata-service";
import { AsgReleaseError, messageOf } from "../errors.js";

export interface Identity {
  instanceId: string;
  region: string;
  availabilityZone: string;
  accountId: string;
  privateIp?: string;
}

/** The slice of MetadataService used here, so tests can pass any. */
export interface Imds {
  request(path: string, options: { method?: string; headers?: Record<string, string> }): Promise<string>;
}

export const IDENTITY_DOCUMENT_PATH = "/latest/dynamic/instance-identity/document";

/**
 * The one retry and timeout policy: early in a boot the service can be slow to answer. A caller
 * that only tries its luck (reporting a failure) may ask for fewer retries and a shorter timeout.
 */
export function createImds(opts: { endpoint?: string; retries?: number; timeoutMs?: number } = {}): Imds {
  return new MetadataService({
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    httpOptions: { timeout: opts.timeoutMs ?? 2000 },
    // IMDSv2 only: a token is required, never fall back to the v1 request forgery surface.
    ec2MetadataV1Disabled: true,
    retries: opts.retries ?? 5,
    backoff: (failures: number) => Math.min(0.2 * 2 ** failures, 3),
  });
}

let host: Imds | undefined;

/** This host's metadata service, made on first use. */
export function hostImds(): Imds {
  host ??= createImds();
  return host;
}

export async function readIdentity(imds: Imds = hostImds()): Promise<Identity> {
  let text: string;
  try {
    text = await imds.request(IDENTITY_DOCUMENT_PATH, {});
  } catch (err) {
    throw new AsgReleaseError(
      `cannot read the instance identity document from IMDS (is this an EC2 instance?): ${messageOf(err)}`,
      { code: "ImdsUnavailable", cause: err },
    );
  }
  return parseIdentityDocument(text);
}

export function parseIdentityDocument(text: string): Identity {
  const bad = (why: string) =>
    new AsgReleaseError(`the instance identity document ${why}`, { code: "ImdsInvalid" });
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw bad(`is not JSON: ${text.slice(0, 100)}`);
  }
  const need = (key: string): string => {
    const v = doc[key];
    if (typeof v !== "string" || v === "") throw bad(`has no ${key}`);
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

/** The VPC of this instance's primary network interface. */
export async function readHostVpc(imds: Imds = hostImds()): Promise<string> {
  const mac = (await imds.request("/latest/meta-data/mac", {})).trim();
  const vpc = (await imds.request(`/latest/meta-data/network/interfaces/macs/${mac}/vpc-id`, {})).trim();
  if (!/^vpc-[0-9a-f]+$/.test(vpc)) {
    throw new AsgReleaseError(`IMDS answered an unexpected vpc-id ${JSON.stringify(vpc)}`, {
      code: "ImdsInvalid",
    });
  }
  return vpc;
}
