// Consecutive-result counting shared by classic ELB and ELBv2: a target changes verdict only
// after `healthy` successes or `unhealthy` failures in a row, as both APIs document the thresholds.
import type { TargetHealth } from "../../state/types.js";

export interface Thresholds {
  healthy: number;
  unhealthy: number;
}

/** Counts one probe; returns the verdict a threshold reached with it, or undefined for no change. */
export function countProbe(
  health: TargetHealth,
  ok: boolean,
  thresholds: Thresholds,
): "healthy" | "unhealthy" | undefined {
  if (ok) {
    health.consecutiveOk += 1;
    health.consecutiveFail = 0;
    return health.consecutiveOk >= thresholds.healthy ? "healthy" : undefined;
  }
  health.consecutiveFail += 1;
  health.consecutiveOk = 0;
  return health.consecutiveFail >= thresholds.unhealthy ? "unhealthy" : undefined;
}
