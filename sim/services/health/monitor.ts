// The probers of one sim: one timer per target on the sim clock, the light-instance policy, and
// the real probes in flight. A tick decides synchronously (so advancing the clock settles light
// instances at once); a real probe runs in the background so a slow target never holds up the
// clock, and lands when it answers or times out. `settled()` waits for those in flight.
import type { Sim } from "../../runtime.js";
import type { Instance } from "../../state/types.js";

/** What a probe needs to know about the host it checks. */
export type ProbeHost = Pick<Instance, "instanceId" | "hostKind" | "privateIpAddress">;
import { LightPolicy } from "./policy.js";
import { probe, type ProbeResult, type ProbeSpec } from "./probe.js";

export class HealthMonitor {
  readonly policy = new LightPolicy();
  private readonly probers = new Map<string, () => void>();
  private readonly busy = new Set<string>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly abort = new AbortController();

  constructor(private readonly sim: Sim) {}

  /** Starts (or restarts with a new interval) the prober under `key`. */
  watch(key: string, intervalMs: number, tick: () => void): void {
    this.unwatch(key);
    this.probers.set(key, this.sim.clock.every(Math.max(1, intervalMs), `health ${key}`, tick));
  }

  unwatch(key: string): void {
    this.probers.get(key)?.();
    this.probers.delete(key);
  }

  watching(key: string): boolean {
    return this.probers.has(key);
  }

  /** Stops every prober whose key starts with `prefix` (a whole target group or load balancer). */
  unwatchPrefix(prefix: string): void {
    for (const key of [...this.probers.keys()]) if (key.startsWith(prefix)) this.unwatch(key);
  }

  /**
   * Checks `instance`: synchronously through `onResult` for a light instance the policy answers
   * for, otherwise by a real probe in the background (skipped while the previous one is running).
   */
  check(
    key: string,
    instance: ProbeHost,
    spec: Omit<ProbeSpec, "host">,
    onResult: (r: ProbeResult) => void,
  ): void {
    const mode = instance.hostKind === "light" ? this.policy.modeFor(instance.instanceId) : "probe";
    if (mode === "healthy") return onResult({ ok: true });
    if (mode === "unhealthy") return onResult({ ok: false, kind: "connect", message: "light instance" });
    if (this.busy.has(key) || this.abort.signal.aborted) return;
    this.busy.add(key);
    const running = probe({ ...spec, host: instance.privateIpAddress, signal: this.abort.signal })
      .then((result) => {
        if (!this.abort.signal.aborted) onResult(result);
      })
      .catch((err: unknown) => this.sim.recordError(`health ${key}`, err))
      .finally(() => {
        this.busy.delete(key);
        this.inflight.delete(running);
      });
    this.inflight.add(running);
  }

  /** Resolves once no real probe is in flight. */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  stop(): void {
    for (const key of [...this.probers.keys()]) this.unwatch(key);
    this.abort.abort();
  }
}

const monitors = new WeakMap<Sim, HealthMonitor>();

/** The sim's health monitor, made on first use and stopped with the sim. */
export function healthMonitor(sim: Sim): HealthMonitor {
  let monitor = monitors.get(sim);
  if (!monitor) {
    const made = new HealthMonitor(sim);
    monitors.set(sim, made);
    sim.onStop(async () => {
      made.stop();
      await made.settled();
    });
    monitor = made;
  }
  return monitor;
}
