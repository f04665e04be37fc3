// Amazon ECR registries: their host names, and credentials from GetAuthorizationToken (a base64
// "AWS:<password>" valid for 12 hours, per the ECR API reference) instead of a config file.
import { GetAuthorizationTokenCommand, type ECRClient } from "@aws-sdk/client-ecr";
import { awsSend } from "../aws/call.js";
import { AwsError } from "../errors.js";
import type { BasicCredentials } from "./auth-files.js";

export interface EcrRegistry {
  host: string;
  accountId: string;
  region: string;
}

/** The answer of GetAuthorizationToken that matters here. */
export interface EcrAuthorization {
  authorizationToken: string;
  expiresAt?: Date;
}

/** The port to ECR: the deploy path passes ecrAuthorizationFromClient(aws.ecr), tests a fake. */
export type GetEcrAuthorization = (registry: EcrRegistry) => Promise<EcrAuthorization>;

// <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn], and the dual-stack <account>.dkr-ecr.<region>.on.aws.
const ECR_HOST =
  /^(\d{12})\.(?:dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?|dkr-ecr\.([a-z0-9-]+)\.on\.aws)$/;

export function parseEcrHost(host: string): EcrRegistry | undefined {
  const m = ECR_HOST.exec(host);
  const accountId = m?.[1];
  const region = m?.[2] ?? m?.[3];
  return accountId && region ? { host, accountId, region } : undefined;
}

export function decodeEcrToken(registry: EcrRegistry, token: string): BasicCredentials {
  const plain = Buffer.from(token, "base64").toString("utf8");
  const colon = plain.indexOf(":");
  if (colon <= 0 || colon === plain.length - 1) {
    throw new AwsError(
      "GetAuthorizationToken",
      `${registry.host}: the token is not base64 of "AWS:<password>"`,
      {
        code: "EcrTokenInvalid",
        context: { registry: registry.host },
      },
    );
  }
  return { username: plain.slice(0, colon), password: plain.slice(colon + 1) };
}

export async function ecrCredentials(
  getAuthorization: GetEcrAuthorization,
  registry: EcrRegistry,
): Promise<BasicCredentials> {
  const { authorizationToken } = await getAuthorization(registry);
  return decodeEcrToken(registry, authorizationToken);
}

/**
 * GetAuthorizationToken through the product's ECR client. The token is only good for the registry
 * in the client's region, so a registry elsewhere fails here with the reason, not later with a 401.
 */
export function ecrAuthorizationFromClient(ecr: ECRClient): GetEcrAuthorization {
  return async (registry) => {
    const region = await ecr.config.region();
    if (region !== registry.region) {
      throw new AwsError(
        "GetAuthorizationToken",
        `${registry.host} is in ${registry.region}, the AWS region in use is ${region}: ` +
          `use an image in ${region} or set image_check_type: none`,
        { code: "EcrRegionMismatch", context: { registry: registry.host, region } },
      );
    }
    const out = await awsSend(ecr, new GetAuthorizationTokenCommand({}), { registry: registry.host });
    const first = out.authorizationData?.[0];
    if (!first?.authorizationToken) {
      throw new AwsError("GetAuthorizationToken", `${registry.host}: the answer has no authorization token`, {
        code: "EcrTokenMissing",
        context: { registry: registry.host },
      });
    }
    return { authorizationToken: first.authorizationToken, expiresAt: first.expiresAt };
  };
}
