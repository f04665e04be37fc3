// docs/spec/deploy.md#home-vpc: the VPC of the host asg-release runs on, read from the instance
// metadata service (shared/aws/imds.ts), with the reason home_vpc cannot work when there is none.
import { createImds, hostImds, readHostVpc } from "#shared/aws/imds.js";
import { AsgReleaseError, messageOf } from "#shared/errors.js";

/** Reads the host's VPC id; a port so tests can point it at any metadata endpoint. */
export type HostVpcReader = () => Promise<string>;

export function imdsHostVpc(opts: { endpoint?: string } = {}): HostVpcReader {
  const imds = opts.endpoint ? createImds({ endpoint: opts.endpoint }) : hostImds();
  return async () => {
    try {
      return await readHostVpc(imds);
    } catch (err) {
      throw new AsgReleaseError(
        `home_vpc: cannot read this host's VPC from the instance metadata service (home_vpc needs asg-release to run on an EC2 instance): ${messageOf(err)}`,
        { code: "HomeVpcUnavailable", cause: err },
      );
    }
  };
}
