// The full instances' hosts, by instance id: booted when an instance starts running, given its
// volumes as they attach, stopped (keeping their state dir) when the instance stops, booted again
// when it starts, and stopped for good on termination and when the sim stops. Boot failures are kept
// as the instance's console output instead of being thrown at whoever attached a volume.
import type { BootOptions, ImdsData } from "../../../hosts/driver.js";
import type { HostSpec, InstanceHost, InstanceHosts } from "./port.js";

export class HostManager {
  private readonly hosts = new Map<string, Promise<InstanceHost | undefined>>();
  private readonly failures = new Map<string, string>();
  /** Instances whose host was stopped with its state dir kept, with the last handle (its console). */
  private readonly kept = new Map<string, InstanceHost>();
  /** What updateImds changed, for the instance's next boot too. */
  private readonly imdsPatches = new Map<string, Partial<ImdsData>>();
  /** Stop, restart and discard of one instance, in the order asked. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly port: InstanceHosts,
    private readonly onBootFailure: (instanceId: string, reason: string) => void,
  ) {}

  has(instanceId: string): boolean {
    return this.hosts.has(instanceId);
  }

  private serial<T>(instanceId: string, fn: () => Promise<T>): Promise<T> {
    const next = (this.queues.get(instanceId) ?? Promise.resolve()).then(fn);
    const settled = next.catch(() => undefined);
    this.queues.set(instanceId, settled);
    void settled.then(() => {
      if (this.queues.get(instanceId) === settled) this.queues.delete(instanceId);
    });
    return next;
  }

  boot(spec: HostSpec, opts: BootOptions = {}): void {
    const patch = this.imdsPatches.get(spec.instanceId);
    if (patch) spec = { ...spec, imds: { ...spec.imds, ...patch } };
    const booting = this.port.boot(spec, opts).catch((err: unknown) => {
      const reason = err instanceof Error ? err.message : String(err);
      this.failures.set(spec.instanceId, reason);
      this.onBootFailure(spec.instanceId, reason);
      return undefined;
    });
    this.failures.delete(spec.instanceId);
    this.hosts.set(spec.instanceId, booting);
  }

  /** Boots a stopped instance's host again, after any stop still under way. */
  restart(spec: HostSpec): Promise<void> {
    return this.serial(spec.instanceId, async () => this.boot(spec, { restart: true }));
  }

  /** Resolves once the host has the volume; a no-op for instances without a host. */
  async attachVolume(instanceId: string, volumeId: string, imagePath: string, device: string): Promise<void> {
    const host = await this.hosts.get(instanceId);
    await host?.attachVolume(volumeId, imagePath, device);
  }

  async detachVolume(instanceId: string, volumeId: string): Promise<void> {
    const host = await this.hosts.get(instanceId);
    await host?.detachVolume(volumeId);
  }

  async hostPublicKey(instanceId: string): Promise<string | undefined> {
    const host = await this.hosts.get(instanceId);
    return host?.sshHostKey || undefined;
  }

  /** Changes what the instance's metadata service answers (e.g. the Auto Scaling lifecycle state). */
  async updateImds(instanceId: string, patch: Partial<ImdsData>): Promise<void> {
    this.imdsPatches.set(instanceId, { ...this.imdsPatches.get(instanceId), ...patch });
    const host = await this.hosts.get(instanceId);
    host?.updateImds(patch);
  }

  /** The boot log (a stopped instance's too), the boot failure, or undefined when it never had a host. */
  async consoleOutput(instanceId: string): Promise<string | undefined> {
    const booting = this.hosts.get(instanceId);
    if (!booting) return this.kept.get(instanceId)?.consoleOutput();
    const host = await booting;
    if (host) return host.consoleOutput();
    return `host boot failed: ${this.failures.get(instanceId) ?? "unknown reason"}\n`;
  }

  /** The instance stopped: its processes end, its root dir and volume images stay for the next boot. */
  stopKeeping(instanceId: string): Promise<void> {
    return this.serial(instanceId, async () => {
      const booting = this.hosts.get(instanceId);
      if (!booting) return;
      this.hosts.delete(instanceId);
      const host = await booting;
      if (!host) return;
      this.kept.set(instanceId, host);
      await host.stop({ keepStateDir: true });
    });
  }

  /** The instance is gone: its host stops and nothing of it stays. */
  stop(instanceId: string): Promise<void> {
    return this.serial(instanceId, async () => {
      const booting = this.hosts.get(instanceId);
      this.hosts.delete(instanceId);
      const host = await booting;
      if (host) await host.stop();
      else if (this.kept.has(instanceId)) await this.port.discard(instanceId);
      this.kept.delete(instanceId);
      this.imdsPatches.delete(instanceId);
    });
  }

  async stopAll(): Promise<void> {
    const ids = new Set([...this.hosts.keys(), ...this.kept.keys()]);
    await Promise.allSettled([...ids].map((id) => this.stop(id)));
    await this.port.close();
  }
}
