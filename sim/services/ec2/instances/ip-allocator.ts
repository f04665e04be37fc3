// Private IPs for instances, all on loopback: full instances bind sshd, IMDS and their services to their own
// 127.x address (docs/design.md#loopback-addresses). Each Sim draws a random 127.N.0.0/16 so that two sims
// running at once on one machine rarely hand out the same address; 127.0.0.0/16 is never used.
import { randomInt } from "node:crypto";

export class IpAllocator {
  private readonly second = randomInt(16, 240);
  private next = 0;
  private readonly inUse = new Set<string>();

  allocate(): string {
    for (let tries = 0; tries < 65_024; tries++) {
      const n = this.next++ % 65_024;
      // third octet 0..253, fourth 1..254: no network or broadcast-looking addresses
      const ip = `127.${this.second}.${Math.floor(n / 254)}.${(n % 254) + 1}`;
      if (!this.inUse.has(ip)) {
        this.inUse.add(ip);
        return ip;
      }
    }
    throw new Error("no free private IP left in the sim's 127.x.0.0/16");
  }

  release(ip: string): void {
    this.inUse.delete(ip);
  }
}
