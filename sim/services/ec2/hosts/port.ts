// What EC2 needs from the layer that turns an instance into a real local host (sim/hosts): boot
// one from a spec (again after a stop), attach and detach volume images, read its boot log, update
// its metadata, stop it. Light instances never reach this port.
import type { HostDriver, HostHandle } from "../../../hosts/driver.js";

export type { HostSpec } from "../../../hosts/driver.js";

export type InstanceHost = Pick<
  HostHandle,
  "attachVolume" | "detachVolume" | "consoleOutput" | "updateImds" | "stop" | "sshHostKey"
>;

export interface InstanceHosts {
  boot: HostDriver["boot"];
  discard: HostDriver["discard"];
  /** Stops whatever the hosts layer still runs (the sim is stopping). */
  close(): Promise<void>;
}
