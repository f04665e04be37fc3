// docs/spec/deploy.md#home-vpc: the VPC of the host asg-release runs on, from IMDSv2 (the endpoint comes from
// AWS_EC2_METADATA_SERVICE_ENDPOINT or the profile, so the local region's metadata service works too).
import { MetadataService } from "@aws-sdk/ec2-metadata-service";
import { AsgReleaseError, messageOf } from "../../../shared/errors.js";

/** Reads the host's VPC id; a port so tests can point it at any metadata endpoint. */
export type HostVpcReader = () => Promise<string>;

export function imdsHostVpc(opts: { endpoint?: string } = {}): HostVpcReader {
  return async () => {
    // IMDSv2 only: never fall back to the v1 request-forgery surface.
    const imds = new MetadataService({
      ec2MetadataV1Disabled: true,
      httpOptions: { timeout: 2000 },
      retries: 2,
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    });
    try {
      const mac = (await imds.request("/latest/meta-data/mac", {})).trim();
      const vpc = (await imds.request(`/latest/meta-data/network/interfaces/macs/${mac}/vpc-id`, {})).trim();
      if (!/^vpc-[0-9a-f]+$/.test(vpc)) throw new Error(`unexpected vpc-id ${JSON.stringify(vpc)}`);
      return vpc;
    } catch (err) {
      throw new AsgReleaseError(
        `home_vpc: cannot read this host's VPC from the instance metadata service (home_vpc needs asg-release to run on an EC2 instance): ${messageOf(err)}`,
        { code: "HomeVpcUnavailable", cause: err },
      );
    }
  };
}
