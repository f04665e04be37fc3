// The full instances' hosts, by instance id: booted when an instance starts running, given its
// volumes as they attach, stopped on termination and when the sim stops. Boot failures are kept
// as the instance's console output instead of being thrown at whoever attached a volume.
import type { ImdsData } from "../../../hosts/driver.js";
import type { HostSpec, InstanceHost, InstanceHosts } from "./port.js";

export class HostManager {
  private readonly hosts = new Map<string, Promise<InstanceHost | undefined>>();
  private readonly failures = new Map<string, string>();

  constructor(
    private readonly port: InstanceHosts,
    private readonly onBootFailure: (instanceId: string, reason: string) => void,
  ) {}

  has(instanceId: string): boolean {
    return this.hosts.has(instanceId);
  }

  boot(spec: HostSpec): void {
    const booting = this.port.boot(spec).catch((err: unknown) => {
      const reason = err instanceof Error ? err.message : String(err);
      this.failures.set(spec.instanceId, reason);
      this.onBootFailure(spec.instanceId, reason);
      return undefined;
    });
    this.hosts.set(spec.instanceId, booting);
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
    const host = await this.hosts.get(instanceId);
    host?.updateImds(patch);
  }

  /** The boot log, the boot failure, or undefined when the instance never had a host. */
  async consoleOutput(instanceId: string): Promise<string | undefined> {
    const booting = this.hosts.get(instanceId);
    if (!booting) return undefined;
    const host = await booting;
    if (host) return host.consoleOutput();
    return `host boot failed: ${this.failures.get(instanceId) ?? "unknown reason"}\n`;
  }

  async stop(instanceId: string): Promise<void> {
    const booting = this.hosts.get(instanceId);
    if (!booting) return;
    this.hosts.delete(instanceId);
    const host = await booting;
    await host?.stop();
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.hosts.keys()].map((id) => this.stop(id)));
    await this.port.close();
  }
}
