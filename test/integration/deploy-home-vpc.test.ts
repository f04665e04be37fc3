// docs/spec/deploy.md#home-vpc: meant only for runs on an EC2 instance. Off EC2
// there is no instance metadata service, and the error says why home_vpc cannot work there.
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { expect, it } from "vitest";
import { imdsHostVpc } from "../../release-server/deploy/observe/home-vpc.js";

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

it('"It should not be set to true unless Skopos is running on an EC2 VM": without a metadata service, home_vpc fails saying so', async () => {
  const read = imdsHostVpc({ endpoint: `http://127.0.0.1:${await closedPort()}` });
  const err = await read().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ code: "HomeVpcUnavailable" });
  expect((err as Error).message).toMatch(
    /^home_vpc: cannot read this host's VPC from the instance metadata service \(home_vpc needs asg-release to run on an EC2 instance\): /,
  );
});
