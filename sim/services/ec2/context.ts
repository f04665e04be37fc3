// What every EC2 operation shares beyond the request: the Sim, the private address pool and the
// host launcher for full instances. Operations are `(ctx, ec2) => result`, bound in index.ts.
import type { XmlValue } from "../../api/xml.js";
import type { Sim } from "../../runtime.js";
import type { OpContext, OpHandler } from "../types.js";
import type { HostManager } from "./hosts/manager.js";
import { IpAllocator } from "./instances/ip-allocator.js";

export class Ec2Context {
  readonly ips: IpAllocator;
  /** Pending transitions by resource id, so a control route can hold a resource where it is. */
  readonly timers = new Map<string, () => void>();
  /** Host kind for new launches, when a launch does not say; starts as the Sim's option. */
  defaultHostKind: "full" | "light";

  constructor(
    readonly sim: Sim,
    readonly hosts: HostManager,
  ) {
    this.defaultHostKind = sim.options.hostKind;
    this.ips = new IpAllocator(sim.options.privateIpBlock);
  }

  get accountId(): string {
    return this.sim.options.accountId;
  }

  now(): Date {
    return this.sim.clock.now();
  }

  /** Runs `fn` after `ms` of sim time, remembered under `key` (replacing an earlier one) until it runs. */
  schedule(key: string, ms: number, fn: () => void | Promise<void>): void {
    this.timers.get(key)?.();
    const cancel = this.sim.clock.after(ms, key, async () => {
      this.timers.delete(key);
      await fn();
    });
    this.timers.set(key, cancel);
  }

  cancel(key: string): void {
    this.timers.get(key)?.();
    this.timers.delete(key);
  }
}

export type Ec2Op = (ctx: OpContext, ec2: Ec2Context) => XmlValue | Promise<XmlValue>;

export function bindOps(ec2: Ec2Context, ops: Record<string, Ec2Op>): Record<string, OpHandler> {
  return Object.fromEntries(
    Object.entries(ops).map(([name, op]) => [name, (ctx: OpContext) => op(ctx, ec2)]),
  );
}
