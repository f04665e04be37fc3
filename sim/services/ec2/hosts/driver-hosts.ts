// The hosts layer as EC2 uses it: the full-host driver of sim/hosts, made on the first full boot
// (a sim of light instances never touches namespaces, loop devices or cgroups).
import { join } from "node:path";
import { createHostDriver } from "../../../hosts/create-driver.js";
import type { HostDriver } from "../../../hosts/driver.js";
import type { Sim } from "../../../runtime.js";
import type { InstanceHosts } from "./port.js";

export function driverHosts(sim: Sim): InstanceHosts {
  let driver: HostDriver | undefined;
  const made = (): HostDriver =>
    (driver ??= createHostDriver({
      kind: "full",
      stateDir: join(sim.options.stateDir, "hosts"),
      insecureRegistries: sim.options.insecureRegistries,
      now: () => sim.clock.nowMs(),
    }));
  return {
    boot: (spec, opts) => made().boot(spec, opts),
    discard: (instanceId) => made().discard(instanceId),
    close: () => driver?.close() ?? Promise.resolve(),
  };
}
