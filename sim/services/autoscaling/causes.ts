// The cause texts of scaling activities, worded as Auto Scaling words them: what changed the
// desired capacity, then what the group did about it, sentences joined by two spaces.

/** Times to the second: 2024-05-01T12:00:00Z. */
export function causeTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function createdCause(at: Date, desired: number): string {
  return `At ${causeTime(at)} a user request created an AutoScalingGroup changing the desired capacity from 0 to ${desired}.`;
}

export function setDesiredCause(at: Date, from: number, to: number): string {
  return `At ${causeTime(at)} a user request explicitly set group desired capacity changing the desired capacity from ${from} to ${to}.`;
}

export function updateCause(at: Date, min: number, max: number, from: number, to: number): string {
  return `At ${causeTime(at)} a user request update of AutoScalingGroup constraints to min: ${min}, max: ${max}, desired: ${to} changing the desired capacity from ${from} to ${to}.`;
}

export function launchCause(prefix: string | undefined, at: Date, from: number, to: number): string {
  const own = `At ${causeTime(at)} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${from} to ${to}.`;
  return prefix ? `${prefix}  ${own}` : own;
}

export function scaleInCause(
  prefix: string | undefined,
  at: Date,
  from: number,
  to: number,
  instanceId: string,
): string {
  const own = `At ${causeTime(at)} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${from} to ${to}.  At ${causeTime(at)} instance ${instanceId} was selected for termination.`;
  return prefix ? `${prefix}  ${own}` : own;
}

export function userTerminateCause(
  at: Date,
  instanceId: string,
  from: number,
  to: number | undefined,
): string {
  return to === undefined
    ? `At ${causeTime(at)} instance ${instanceId} was taken out of service in response to a user request.`
    : `At ${causeTime(at)} instance ${instanceId} was taken out of service in response to a user request, shrinking the capacity from ${from} to ${to}.`;
}

export function detachCause(at: Date, instanceId: string, from: number, to: number | undefined): string {
  return to === undefined
    ? `At ${causeTime(at)} instance ${instanceId} was detached in response to a user request.`
    : `At ${causeTime(at)} instance ${instanceId} was detached in response to a user request, shrinking the capacity from ${from} to ${to}.`;
}

export function ec2HealthCause(at: Date, instanceId: string, gone: boolean): string {
  return gone
    ? `At ${causeTime(at)} an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.`
    : `At ${causeTime(at)} an instance was taken out of service in response to an EC2 instance status check failure.  Instance ${instanceId} was unhealthy.`;
}

export function elbHealthCause(at: Date): string {
  return `At ${causeTime(at)} an instance was taken out of service in response to an ELB system health check failure.`;
}

export function zoneDroppedCause(at: Date, instanceId: string, zone: string): string {
  return `At ${causeTime(at)} instance ${instanceId} was taken out of service in response to an Availability Zone rebalance: ${zone} is no longer one of the group's Availability Zones.`;
}

export function deleteCause(at: Date): string {
  return `At ${causeTime(at)} a user request deleted the AutoScalingGroup, terminating its instances.`;
}
