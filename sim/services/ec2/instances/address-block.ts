// The 127.N.0.0/16 block a running sim hands its instances' private IPs from, claimed machine-wide:
// full hosts bind sshd and IMDS on those addresses, so two sims running at once (test files run in
// parallel) must never share a block. The claim is a listening socket on 127.N.255.254, an address
// no instance gets: the kernel lets one process hold it and frees it when that process ends.
import { randomInt } from "node:crypto";
import { createServer, type Server } from "node:net";

/** Any unprivileged port: only the address matters, nothing ever connects. */
export const CLAIM_PORT = 1127;

export interface AddressBlock {
  /** The second octet: instances get 127.<octet>.x.y. */
  octet: number;
  release(): Promise<void>;
}

function listenOn(host: string): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (e: NodeJS.ErrnoException) =>
      e.code === "EADDRINUSE" ? resolve(undefined) : reject(e),
    );
    server.listen({ host, port: CLAIM_PORT, exclusive: true }, () => {
      server.unref();
      resolve(server);
    });
  });
}

/** Claims a free block among 127.16.0.0/16 to 127.239.0.0/16 (127.0.0.0/16 is left alone). */
export async function claimAddressBlock(): Promise<AddressBlock> {
  const start = randomInt(16, 240);
  for (let i = 0; i < 224; i++) {
    const octet = 16 + ((start - 16 + i) % 224);
    const server = await listenOn(`127.${octet}.255.254`);
    if (server)
      return {
        octet,
        release: () => new Promise((resolve) => server.close(() => resolve())),
      };
  }
  throw new Error("every 127.N.0.0/16 block of the local region is claimed by another sim");
}
