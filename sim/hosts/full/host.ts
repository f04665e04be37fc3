// A running full host. Attach, detach and stop are serialised per host, so that a stop never races
// an attach into leaking a loop device.
import { readFile } from "node:fs/promises";
import type {
  ExecOptions,
  ExecResult,
  HostHandle,
  HostLog,
  ImdsData,
  UserDataResult,
  VolumeAttachment,
} from "../driver.js";
import { HostError } from "../errors.js";
import type { ImdsServer } from "../imds/server.js";
import { VolumeTable } from "../volume-table.js";
import type { Holder } from "./holder.js";
import type { HostExec } from "./host-exec.js";
import type { HostLayout } from "./layout.js";
import { writeRecord, type HostRecord } from "./record.js";
import { teardown } from "./teardown.js";
import { attachVolume, detachVolume } from "./volumes.js";

export interface FullHostParts {
  layout: HostLayout;
  instanceId: string;
  privateIp: string;
  sshHostKey: string;
  holder: Holder;
  exec: HostExec;
  imdsServer: ImdsServer;
  /** Shared with the metadata listener, which reads it on every request. */
  imds: { data: ImdsData };
  log: HostLog;
}

export class FullHost implements HostHandle {
  readonly kind = "full";
  readonly instanceId: string;
  readonly privateIp: string;
  readonly stateDir: string;
  readonly rootDir: string;
  readonly sshHostKey: string;
  userData: Promise<UserDataResult> = Promise.resolve({ ok: true, stages: [] });
  private readonly table: VolumeTable;
  private queue: Promise<unknown> = Promise.resolve();
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly p: FullHostParts,
    private readonly onStop: () => void,
  ) {
    this.instanceId = p.instanceId;
    this.privateIp = p.privateIp;
    this.stateDir = p.layout.dir;
    this.rootDir = `/proc/${p.holder.pid}/root`;
    this.sshHostKey = p.sshHostKey;
    this.table = new VolumeTable(p.instanceId);
    void p.holder.exited.then(() => {
      if (!this.stopping)
        p.log.warn({ instanceId: this.instanceId }, "host ended without stop: its holder exited");
    });
  }

  /** The host's namespace, e.g. "mnt:[4026532177]": every process of the host is in it. */
  get mountNamespace(): string {
    return this.p.holder.mountNamespace;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(() => {
      if (this.stopping) throw new HostError("IncorrectState", "the host is stopped", this.instanceId);
      return fn();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private record(): Promise<void> {
    const r: HostRecord = {
      instanceId: this.instanceId,
      privateIp: this.privateIp,
      unsharePid: this.p.holder.unsharePid,
      holderPid: this.p.holder.pid,
      mountNamespace: this.p.holder.mountNamespace,
      loopDevices: this.table
        .list()
        .map((a) => ({ volumeId: a.volumeId, device: a.loopDevice, imagePath: a.imagePath })),
    };
    return writeRecord(this.p.layout.recordFile, r);
  }

  attachVolume(volumeId: string, imagePath: string, deviceName: string): Promise<VolumeAttachment> {
    return this.serial(async () => {
      this.table.checkAttach(volumeId, deviceName);
      const a = await attachVolume(this.p.exec, volumeId, imagePath, deviceName);
      this.table.add(a);
      await this.record();
      this.p.log.info({ instanceId: this.instanceId, volumeId, device: a.loopDevice }, "volume attached");
      return a;
    });
  }

  detachVolume(volumeId: string): Promise<void> {
    return this.serial(async () => {
      const a = this.table.get(volumeId);
      await detachVolume(this.p.holder, this.p.exec, a);
      this.table.remove(volumeId);
      await this.record();
      this.p.log.info({ instanceId: this.instanceId, volumeId }, "volume detached");
    });
  }

  volumes(): VolumeAttachment[] {
    return this.table.list();
  }

  exec(argv: string[], opts?: ExecOptions): Promise<ExecResult> {
    if (this.stopping)
      return Promise.reject(new HostError("IncorrectState", "the host is stopped", this.instanceId));
    return this.p.exec.exec(argv, opts);
  }

  consoleOutput(): Promise<string> {
    return readFile(this.p.layout.consoleLog, "utf8").catch(() => "");
  }

  updateImds(patch: Partial<ImdsData>): void {
    this.p.imds.data = { ...this.p.imds.data, ...patch };
  }

  stop(opts: { keepStateDir?: boolean } = {}): Promise<void> {
    this.stopping ??= this.queue.then(async () => {
      const loopDevices = this.table.list().map((a) => a.loopDevice);
      try {
        await teardown(
          this.p.layout,
          { ...this.p, imds: this.p.imdsServer, loopDevices },
          { ...opts, log: this.p.log },
        );
      } finally {
        for (const a of this.table.list()) this.table.remove(a.volumeId);
        this.onStop();
      }
      this.p.log.info({ instanceId: this.instanceId }, "host stopped");
    });
    return this.stopping;
  }
}
