// The pace of bringing up a new slot (`rollout`): batches of batch_size instances (a count or a
// share of the replicas), each followed by a health wait for min_healthy_percent of what is up and
// a bake of bake_time seconds that watches health. The old slot stays attached until the last batch
// has baked, so a failure at any point only has to tear the new slot down.
import type { Ec2AsgConfig } from "#shared/config/ec2-asg-schema.js";

export type Rollout = Ec2AsgConfig["rollout"];

export interface RolloutStep {
  /** The new slot's capacity after this batch. */
  count: number;
  /** How many of them must be healthy before the next batch (and through the bake). */
  healthy: number;
}

/** Instances per batch: "all", a count, or "N%" of the replicas (rounded up, at least 1). */
export function batchSize(replicas: number, batch: Rollout["batch_size"]): number {
  if (batch === "all") return Math.max(replicas, 1);
  if (typeof batch === "number") return batch;
  return Math.max(1, Math.ceil((replicas * Number(batch.slice(0, -1))) / 100));
}

/** The capacities the new slot's group goes through, each followed by a health wait (and a bake). */
export function rolloutSteps(replicas: number, rollout: Rollout): RolloutStep[] {
  const size = batchSize(replicas, rollout.batch_size);
  const counts: number[] = [];
  for (let count = size; ; count += size) {
    counts.push(Math.min(count, replicas));
    if (count >= replicas) break;
  }
  return counts.map((count) => ({
    count,
    healthy: Math.ceil((count * rollout.min_healthy_percent) / 100),
  }));
}
