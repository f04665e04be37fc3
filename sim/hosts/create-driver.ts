// The one call the sim makes to get its host driver: full (real local hosts) or light (records only).
import type { HostDriver, HostKind } from "./driver.js";
import { createFullDriver, type FullDriverOptions } from "./full/driver.js";
import { createLightDriver } from "./light.js";

export function createHostDriver(opts: { kind: HostKind } & FullDriverOptions): HostDriver {
  return opts.kind === "full" ? createFullDriver(opts) : createLightDriver(opts);
}
