// Fault injection and call accounting per operation ("ec2:DescribeInstances"), driven by the
// control API: throttling, added latency, 5xx errors, failing the next N calls, and eventual
// consistency (a new resource stays invisible to describes for N calls).

export interface FaultSpec {
  /** Probability 0..1 of a throttling error. */
  throttleRate?: number;
  /** Probability 0..1 of a 5xx error. */
  errorRate?: number;
  /** Milliseconds added to each call. */
  latencyMs?: number;
  /** The next N calls fail with `failCode` (default: the service's throttling error). */
  failNext?: number;
  failCode?: string;
  /** Resources this operation creates are hidden from describes for N describe calls. */
  hideNewForDescribes?: number;
}

export type FaultDecision =
  | { kind: "none" }
  | { kind: "throttle" }
  | { kind: "error"; code?: string }
  | { kind: "fail"; code?: string };

export class Faults {
  private specs = new Map<string, FaultSpec>();
  private counts = new Map<string, number>();
  private hidden = new Map<string, number>();
  private rngState: number;

  constructor(seed = 0x2545f491) {
    this.rngState = seed;
  }

  set(op: string, spec: FaultSpec | undefined): void {
    if (spec) this.specs.set(op, { ...spec });
    else this.specs.delete(op);
  }

  clear(): void {
    this.specs.clear();
    this.hidden.clear();
  }

  list(): Record<string, FaultSpec> {
    return Object.fromEntries(this.specs);
  }

  count(op: string): void {
    this.counts.set(op, (this.counts.get(op) ?? 0) + 1);
  }

  callCounts(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  resetCounts(): void {
    this.counts.clear();
  }

  latency(op: string): number {
    return this.specs.get(op)?.latencyMs ?? 0;
  }

  decide(op: string): FaultDecision {
    const spec = this.specs.get(op);
    if (!spec) return { kind: "none" };
    if (spec.failNext && spec.failNext > 0) {
      spec.failNext -= 1;
      return { kind: "fail", code: spec.failCode };
    }
    if (spec.throttleRate && this.random() < spec.throttleRate) return { kind: "throttle" };
    if (spec.errorRate && this.random() < spec.errorRate) return { kind: "error" };
    return { kind: "none" };
  }

  /** Called by a creating operation for each id it makes. */
  created(op: string, id: string): void {
    const n = this.specs.get(op)?.hideNewForDescribes;
    if (n && n > 0) this.hidden.set(id, n);
  }

  /** Called by describes: false while the resource is still hidden (and counts one describe). */
  visible(id: string): boolean {
    const n = this.hidden.get(id);
    if (n === undefined) return true;
    if (n <= 1) this.hidden.delete(id);
    else this.hidden.set(id, n - 1);
    return false;
  }

  // xorshift32: reproducible fault sequences for a given seed.
  private random(): number {
    let x = this.rngState;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rngState = x >>> 0;
    return this.rngState / 0x100000000;
  }
}
