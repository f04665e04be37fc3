// Who and where the release host is, from IMDSv2's instance identity document. The endpoint comes
// from AWS_EC2_METADATA_SERVICE_ENDPOINT (or the profile), so this works on EC2 and in the local region.
import { MetadataService } from "@aws-sdk/ec2-metadata-service";
import { AsgReleaseError, messageOf } from "../../shared/errors.js";

export interface Identity {
  instanceId: string;
  region: string;
  availabilityZone: string;
  accountId: string;
}

export async function readIdentity(): Promise<Identity> {
  // IMDSv2 only: never fall back to the v1 request-forgery surface.
  const imds = new MetadataService({
    ec2MetadataV1Disabled: true,
    httpOptions: { timeout: 2000 },
    retries: 3,
  });
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(await imds.request("/latest/dynamic/instance-identity/document", {})) as Record<
      string,
      unknown
    >;
  } catch (err) {
    throw new AsgReleaseError(
      `cannot read the instance identity from IMDS (is this an EC2 instance?): ${messageOf(err)}`,
      {
        cause: err,
      },
    );
  }
  const str = (k: string) => (typeof doc[k] === "string" ? (doc[k] as string) : "");
  const id = {
    instanceId: str("instanceId"),
    region: str("region"),
    availabilityZone: str("availabilityZone"),
    accountId: str("accountId"),
  };
  if (!id.instanceId || !id.region || !id.availabilityZone) {
    throw new AsgReleaseError("the instance identity document lacks instanceId, region or availabilityZone");
  }
  return id;
}
