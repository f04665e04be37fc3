// Addresses and ports for tests, always inside 127.0.0.0/8: the whole block is loopback on Linux,
// so every host gets an address of its own with nothing reachable beyond the machine.
import { createServer } from "node:net";
import { randomInt } from "node:crypto";
import { claimAddressBlock, type AddressBlock } from "../../sim/services/ec2/instances/address-block.js";

const handedOut = new Set<string>();

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "EACCES"));
    s.listen({ host, port, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** A free TCP port on `host` (127.0.0.1 by default), chosen by the kernel. */
export function freePort(host = "127.0.0.1"): Promise<number> {
  if (!host.startsWith("127.")) throw new Error(`not a loopback address: ${host}`);
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen({ host, port: 0, exclusive: true }, () => {
      const addr = s.address();
      s.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

// Claimed once per process, like a sim's block, so that no sim (in this process or a test file
// running in parallel) hands these addresses to its instances.
let block: Promise<AddressBlock> | undefined;

/**
 * An address not handed out before by this process, from a 127.N.0.0/16 block claimed for it
 * (sim/services/ec2/instances/address-block.ts), with nothing listening on the ports a host uses
 * (22 for sshd, 80 for its metadata service). 127.0.0.0/16 is left alone: registries and other
 * local services live there.
 */
export async function freeLoopbackIp(): Promise<string> {
  const { octet } = await (block ??= claimAddressBlock());
  for (let attempt = 0; attempt < 50; attempt++) {
    const ip = `127.${octet}.${randomInt(0, 254)}.${randomInt(1, 254)}`;
    if (handedOut.has(ip)) continue;
    if ((await canListen(ip, 22)) && (await canListen(ip, 80))) {
      handedOut.add(ip);
      return ip;
    }
  }
  throw new Error("no free loopback address found");
}
