// Private IPs for instances, all on loopback: full instances bind sshd, IMDS and their services to their own
// 127.x address (docs/design.md#loopback-addresses). startSim claims the sim's 127.N.0.0/16 machine-wide
// (address-block.ts); a Sim made without one draws a random N. 127.0.0.0/16 is never used.
import { randomInt } from "node:crypto";

export class IpAllocator {
  private next = 0;
  private readonly inUse = new Set<string>();

  constructor(private readonly second: number = randomInt(16, 240)) {}

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
