// Stop, start and reboot as EC2 does them. Stop: `stopping` at once, then after
// `delays.instanceShutdownMs` the host powers off (its processes end, its root dir and volume images
// stay, the volumes stay attached and `in-use`) and the instance is `stopped`, keeping its private IP.
// Start: `pending`, then after `delays.instancePendingMs` `running`, the host booted again. Reboot:
// the host's processes restart, the instance stays `running`; terminated instances are ignored.
import { SimError } from "../../../api/errors.js";
import type { RegionState } from "../../../state/store.js";
import type { Instance } from "../../../state/types.js";
import type { Ec2Context } from "../context.js";
import { bootHost } from "./boot.js";
import { gmtStamp, type StateChange } from "./terminate-flow.js";

export type PowerAction = "stopped" | "started" | "rebooted";

/** EC2's refusal of an instance in the wrong state, e.g. a terminated one. */
export function incorrectState(instanceId: string, action: PowerAction): SimError {
  const subject = action === "stopped" ? "This instance" : "The instance";
  return new SimError(
    "IncorrectInstanceState",
    `${subject} '${instanceId}' is not in a state from which it can be ${action}.`,
  );
}

const CAN: Record<PowerAction, ReadonlySet<string>> = {
  // Stopping a stopping or stopped instance, or starting a pending or running one, changes nothing.
  stopped: new Set(["pending", "running", "stopping", "stopped"]),
  started: new Set(["pending", "running", "stopped"]),
  // "Requests to reboot terminated instances are ignored." (RebootInstances, EC2 API reference)
  rebooted: new Set(["running", "shutting-down", "terminated"]),
};

/** Throws for the first instance that cannot take the action, before any of them changes. */
export function checkStates(instances: Instance[], action: PowerAction): void {
  const wrong = instances.find((i) => !CAN[action].has(i.state));
  if (wrong) throw incorrectState(wrong.instanceId, action);
  // EC2's answer to stopping an instance still pending from its launch (a started one may stop).
  const launching = action === "stopped" && instances.find((i) => i.state === "pending" && !i.hasRun);
  if (launching)
    throw new SimError(
      "IncorrectInstanceState",
      `Instance '${launching.instanceId}' cannot be stopped as it has never reached the 'running' state.`,
    );
}

export function beginStop(ec2: Ec2Context, region: RegionState, instance: Instance): StateChange {
  const previous = instance.state;
  const { instanceId } = instance;
  if (previous === "stopping" || previous === "stopped") return { instanceId, previous, current: previous };
  instance.state = "stopping";
  instance.stateTransitionReason = `User initiated (${gmtStamp(ec2.now())})`;
  ec2.sim.clock.after(ec2.sim.options.delays.instanceShutdownMs, `stop ${instanceId}`, () =>
    finishStop(ec2, region, instance),
  );
  return { instanceId, previous, current: "stopping" };
}

async function finishStop(ec2: Ec2Context, _region: RegionState, instance: Instance): Promise<void> {
  // Terminated while stopping: termination takes the host down for good.
  if (instance.state !== "stopping") return;
  await ec2.hosts
    .stopKeeping(instance.instanceId)
    .catch((err: unknown) => ec2.sim.recordError(`stop host ${instance.instanceId}`, err));
  if (instance.state !== "stopping") return;
  instance.state = "stopped";
  // A public IPv4 address not from an Elastic IP is released on stop; the private one stays.
  instance.publicIpAddress = undefined;
}

export function beginStart(ec2: Ec2Context, region: RegionState, instance: Instance): StateChange {
  const previous = instance.state;
  const { instanceId } = instance;
  if (previous !== "stopped") return { instanceId, previous, current: previous };
  instance.state = "pending";
  instance.stateTransitionReason = "";
  // LaunchTime is the time of the last start; a stop and start is EC2's cure for an impaired instance.
  instance.launchTime = ec2.now();
  instance.impairedReason = undefined;
  ec2.sim.clock.after(ec2.sim.options.delays.instancePendingMs, `start ${instanceId}`, () => {
    if (instance.state !== "pending") return;
    instance.state = "running";
    if (instance.hostKind === "full") bootHost(ec2, region, instance, { restart: true });
  });
  return { instanceId, previous, current: "pending" };
}

/** A running full instance's host powers off and boots again; the instance stays `running`. */
export function reboot(ec2: Ec2Context, region: RegionState, instance: Instance): void {
  if (instance.state !== "running") return;
  if (instance.hostKind !== "full" || !ec2.hosts.has(instance.instanceId)) return;
  const { instanceId } = instance;
  void ec2.hosts
    .stopKeeping(instanceId)
    .then(() => {
      if (instance.state === "running") bootHost(ec2, region, instance, { restart: true });
    })
    .catch((err: unknown) => ec2.sim.recordError(`reboot ${instanceId}`, err));
}
