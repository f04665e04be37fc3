// Termination as EC2 does it: `shutting-down` at once, then after the configured delay the host
// stops, volumes are detached (those marked DeleteOnTermination deleted) and the instance is
// `terminated`; it stays describable for an hour of sim time and is then forgotten.
import type { InstanceStateName } from "../../../state/types.js";
import type { RegionState } from "../../../state/store.js";
import type { Instance } from "../../../state/types.js";
import type { Ec2Context } from "../context.js";
import { destroyVolume } from "../ebs/volume-store.js";

/** How long terminated instances remain visible to DescribeInstances. */
export const TERMINATED_VISIBLE_MS = 60 * 60 * 1000;

export interface StateChange {
  instanceId: string;
  previous: InstanceStateName;
  current: InstanceStateName;
}

export function beginTermination(ec2: Ec2Context, region: RegionState, instance: Instance): StateChange {
  const previous = instance.state;
  if (previous === "shutting-down" || previous === "terminated")
    return { instanceId: instance.instanceId, previous, current: previous };
  instance.state = "shutting-down";
  instance.stateTransitionReason = `User initiated (${gmtStamp(ec2.now())})`;
  ec2.sim.clock.after(ec2.sim.options.delays.instanceShutdownMs, `terminate ${instance.instanceId}`, () =>
    finishTermination(ec2, region, instance),
  );
  return { instanceId: instance.instanceId, previous, current: "shutting-down" };
}

async function finishTermination(ec2: Ec2Context, region: RegionState, instance: Instance): Promise<void> {
  const devices = instance.blockDevices;
  instance.blockDevices = [];
  // Stopping the host releases every volume it holds (loop devices included).
  await ec2.hosts
    .stop(instance.instanceId)
    .catch((err: unknown) => ec2.sim.recordError(`stop host ${instance.instanceId}`, err));
  for (const d of devices) {
    const volume = region.volumes.get(d.volumeId);
    if (!volume) continue;
    const attachment = volume.attachments.find((a) => a.instanceId === instance.instanceId);
    volume.attachments = volume.attachments.filter((a) => a.instanceId !== instance.instanceId);
    if (attachment?.deleteOnTermination) destroyVolume(ec2, region, volume);
    else if (volume.attachments.length === 0) volume.state = "available";
  }
  instance.state = "terminated";
  instance.terminatedAt = ec2.now();
  ec2.ips.release(instance.privateIpAddress);
  ec2.sim.clock.after(TERMINATED_VISIBLE_MS, `forget ${instance.instanceId}`, () => {
    region.instances.delete(instance.instanceId);
  });
}

/** "2024-08-01 12:00:00 GMT", the timestamp format of EC2's state transition reasons. */
export function gmtStamp(d: Date): string {
  return `${d.toISOString().slice(0, 19).replace("T", " ")} GMT`;
}
