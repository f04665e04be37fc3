// Light hosts: API-only instances with no process, mount or listener, so fleets of thousands fit in a
// benchmark. Attach and detach are recorded with the same checks as on full hosts.
import { join } from "node:path";
import type {
  HostDriver,
  HostHandle,
  HostSpec,
  ImdsData,
  UserDataResult,
  VolumeAttachment,
} from "./driver.js";
import { HostError } from "./errors.js";
import { nvmeByIdPath } from "./naming.js";
import { VolumeTable } from "./volume-table.js";

class LightHost implements HostHandle {
  readonly kind = "light";
  readonly rootDir = "";
  readonly sshHostKey = "";
  readonly userData: Promise<UserDataResult> = Promise.resolve({ ok: true, stages: [] });
  readonly instanceId: string;
  readonly privateIp: string;
  readonly stateDir: string;
  imds: ImdsData;
  private readonly table: VolumeTable;
  private stopped = false;

  constructor(
    spec: HostSpec,
    stateRoot: string,
    private readonly onStop: () => void,
  ) {
    this.instanceId = spec.instanceId;
    this.privateIp = spec.privateIp;
    this.stateDir = join(stateRoot, spec.instanceId);
    this.imds = { ...spec.imds };
    this.table = new VolumeTable(spec.instanceId);
  }

  private checkRunning(): void {
    if (this.stopped) throw new HostError("IncorrectState", "the host is stopped", this.instanceId);
  }

  async attachVolume(volumeId: string, imagePath: string, deviceName: string): Promise<VolumeAttachment> {
    this.checkRunning();
    const a = { volumeId, imagePath, deviceName, loopDevice: "", byIdPath: nvmeByIdPath(volumeId) };
    this.table.add(a);
    return a;
  }

  async detachVolume(volumeId: string): Promise<void> {
    this.table.get(volumeId);
    this.table.remove(volumeId);
  }

  volumes(): VolumeAttachment[] {
    return this.table.list();
  }

  async exec(): Promise<never> {
    throw new HostError("Unsupported", "light hosts run no processes", this.instanceId);
  }

  async consoleOutput(): Promise<string> {
    return "";
  }

  updateImds(patch: Partial<ImdsData>): void {
    this.imds = { ...this.imds, ...patch };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const a of this.table.list()) this.table.remove(a.volumeId);
    this.onStop();
  }
}

/** `stateDir` only names the hosts' (never created) directories, so both drivers report the same layout. */
export function createLightDriver(opts: { stateDir: string }): HostDriver {
  const hosts = new Set<LightHost>();
  return {
    kind: "light",
    async boot(spec) {
      const host: LightHost = new LightHost(spec, opts.stateDir, () => hosts.delete(host));
      hosts.add(host);
      return host;
    },
    async discard() {},
    async close() {
      await Promise.all([...hosts].map((h) => h.stop()));
    },
  };
}
