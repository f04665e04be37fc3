// The reconcile loop: every `asgReconcileMs` on the sim clock, each region's groups are brought
// towards their desired state. A pass runs detached from the clock's ticker (launches may take a
// while) and never overlaps the previous one.
import type { Sim } from "../../../runtime.js";
import type { RegionState } from "../../../state/store.js";
import { reconcileGroup, type LaunchBackoff } from "./group-pass.js";

export function startReconcileLoops(sim: Sim): void {
  for (const region of sim.state.regions.values()) {
    const backoffs = new Map<string, LaunchBackoff>();
    let running = false;
    const cancel = sim.clock.every(
      sim.options.delays.asgReconcileMs,
      `autoscaling:reconcile:${region.name}`,
      () => {
        if (running) return;
        running = true;
        reconcileRegion(sim, region, backoffs)
          .catch((err: unknown) => sim.recordError(`autoscaling:reconcile ${region.name}`, err))
          .finally(() => {
            running = false;
          });
      },
    );
    sim.onStop(cancel);
  }
}

async function reconcileRegion(
  sim: Sim,
  region: RegionState,
  backoffs: Map<string, LaunchBackoff>,
): Promise<void> {
  for (const arn of backoffs.keys())
    if (![...region.autoScalingGroups.values()].some((g) => g.autoScalingGroupARN === arn))
      backoffs.delete(arn);
  for (const group of [...region.autoScalingGroups.values()]) {
    let backoff = backoffs.get(group.autoScalingGroupARN);
    if (!backoff) backoffs.set(group.autoScalingGroupARN, (backoff = { failures: 0, retryAt: 0 }));
    try {
      await reconcileGroup(sim, region, group, backoff);
    } catch (err) {
      sim.recordError(`autoscaling:reconcile ${region.name}/${group.autoScalingGroupName}`, err);
    }
  }
}
