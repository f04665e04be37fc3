// The host's units: loaded from the search path on first use and again on daemon-reload, with a
// note in the journal for each directive that has no effect here; targets start what they want.
import { BOOT_TARGETS } from "./paths.js";
import { wantedBy } from "./install.js";
import type { Journal } from "./journal.js";
import { Service } from "./service.js";
import { serviceConfig, type ServiceConfig } from "./service-config.js";
import { loadUnitFile } from "./unit-file.js";

export interface LoadedUnit {
  config: ServiceConfig;
  path: string;
  masked: boolean;
  /** Services only; targets have no process. */
  service?: Service;
}

export class Manager {
  private readonly units = new Map<string, LoadedUnit>();

  constructor(readonly journal: Journal) {}

  /** undefined: no unit file of that name. */
  load(name: string): LoadedUnit | undefined {
    const cached = this.units.get(name);
    if (cached) return cached;
    const file = loadUnitFile(name);
    if (!file) return undefined;
    const config = serviceConfig(file);
    for (const n of config.notes) this.journal.write(name, "systemd", 1, `${file.path}: ${n}`);
    const unit: LoadedUnit = { config, path: file.path, masked: file.masked };
    if (name.endsWith(".service")) unit.service = new Service(config, this.journal);
    this.units.set(name, unit);
    return unit;
  }

  /** daemon-reload: every unit is read again; a running service keeps its process, takes the new settings. */
  reload(): void {
    for (const [name, unit] of [...this.units]) {
      this.units.delete(name);
      const again = this.load(name);
      if (!again) {
        if (unit.service && unit.service.activeState !== "inactive") this.units.set(name, unit);
        continue;
      }
      if (unit.service && again.service) {
        unit.service.config = again.config;
        again.service = unit.service;
      }
    }
  }

  loaded(): LoadedUnit[] {
    return [...this.units.values()];
  }

  /**
   * What a boot starts: the services that default.target and multi-user.target want, together,
   * waiting for their start jobs (Wants=: a failure does not stop the others). `machineUnits` are the
   * machine's own enabled units, which the host's copy-on-write /etc shows too: they are not started.
   */
  async boot(machineUnits: ReadonlySet<string>): Promise<void> {
    const names = [...new Set(BOOT_TARGETS.flatMap((t) => wantedBy(t)))].filter((n) =>
      n.endsWith(".service"),
    );
    for (const n of names.filter((x) => machineUnits.has(x)))
      this.journal.write(n, "systemd", 1, `${n}: enabled on the machine itself, not started in this host.`);
    const own = names.filter((n) => !machineUnits.has(n));
    await Promise.all(
      own.map((n) => {
        const u = this.load(n);
        return u?.service && !u.masked ? u.service.start() : undefined;
      }),
    );
    this.journal.write("", "systemd", 1, "Reached target multi-user.target - Multi-User System.");
  }

  notify(invocationId: string, fields: Record<string, string>): boolean {
    for (const u of this.units.values()) {
      if (u.service && u.service.invocationId === invocationId) {
        u.service.notify(fields);
        return true;
      }
    }
    return false;
  }
}
