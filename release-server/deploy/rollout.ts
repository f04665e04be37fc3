// The pace of bringing up a new slot. This version brings it up in one batch, as the seed does; the
// `rollout` settings (batch size, minimum healthy, bake time, keeping the old slot) plug in here.
import type { Ec2AsgConfig } from "../../shared/config/ec2-asg-schema.js";

/** The capacities the new slot's group goes through, each followed by a health wait. */
export function rolloutCapacities(replicas: number): number[] {
  return [replicas];
}

/** Settings that ask for more than one batch, which this version does not do yet. */
export function rolloutWarnings(config: Ec2AsgConfig): string[] {
  const r = config.rollout;
  const set = [
    r.batch_size !== "all" ? `batch_size ${r.batch_size}` : "",
    r.min_healthy_percent !== 100 ? `min_healthy_percent ${r.min_healthy_percent}` : "",
    r.bake_time !== 0 ? `bake_time ${r.bake_time}` : "",
    r.keep_old_slot !== 0 ? `keep_old_slot ${r.keep_old_slot}` : "",
  ].filter(Boolean);
  return set.length === 0
    ? []
    : [
        `rollout ${set.join(", ")}: not applied yet; new slots come up in one batch and the old slot is destroyed once they are healthy`,
      ];
}
