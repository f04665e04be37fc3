// What stands behind a registered target: an instance of the region (instance targets) or an
// address (ip targets), with the state and zone that decide whether it is health checked at all.
import type { RegionState } from "../../state/store.js";
import type { InstanceStateName, TargetGroup } from "../../state/types.js";
import type { ProbeHost } from "../health/monitor.js";

export type Target = TargetGroup["targets"][string];

export interface TargetHost {
  host: ProbeHost;
  /** undefined: the instance is gone (terminated and forgotten). */
  state: InstanceStateName | undefined;
  /** undefined: any zone (an ip target registered for "all"). */
  availabilityZone: string | undefined;
}

export function targetHost(region: RegionState, tg: TargetGroup, target: Target): TargetHost {
  if (tg.targetType === "ip") {
    const az = target.availabilityZone === "all" ? undefined : target.availabilityZone;
    return {
      host: { instanceId: target.id, hostKind: "full", privateIpAddress: target.id },
      state: "running",
      availabilityZone: az,
    };
  }
  const instance = region.instances.get(target.id);
  return {
    host: instance ?? { instanceId: target.id, hostKind: "light", privateIpAddress: "" },
    state: instance?.state,
    availabilityZone: instance?.availabilityZone ?? target.availabilityZone,
  };
}

export function targetKey(id: string, port: number): string {
  return `${id}:${port}`;
}
