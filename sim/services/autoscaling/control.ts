// Control routes of Auto Scaling, JSON under /_sim/autoscaling/ (region: ?region=, default the
// sim's first):
//   GET /_sim/autoscaling/activities         every group's scaling activities, newest first
//   GET /_sim/autoscaling/lifecycle-actions  the pending lifecycle actions with their tokens, as
//                                            a lifecycle notification would carry them
import { SimError } from "../../api/errors.js";
import type { Sim } from "../../runtime.js";
import type { RegionState } from "../../state/store.js";

export function addAutoScalingControls(sim: Sim): void {
  const regionOf = (query: URLSearchParams): RegionState => {
    const name = query.get("region") ?? sim.state.regions.keys().next().value ?? "";
    const region = sim.state.region(name);
    if (!region) throw new SimError("ValidationError", `unknown region ${name}`);
    return region;
  };
  sim.control.add("GET", "/_sim/autoscaling/activities", (_body, query) =>
    [...regionOf(query).autoScalingGroups.values()]
      .flatMap((g) => g.activities)
      .sort((a, b) => b.startTime.getTime() - a.startTime.getTime()),
  );
  sim.control.add("GET", "/_sim/autoscaling/lifecycle-actions", (_body, query) =>
    [...regionOf(query).autoScalingGroups.values()].flatMap((g) =>
      g.members.flatMap((m) =>
        (m.lifecycleActions ?? [])
          .filter((a) => a.result === undefined)
          .map((a) => ({
            AutoScalingGroupName: g.autoScalingGroupName,
            EC2InstanceId: m.instanceId,
            LifecycleHookName: a.hookName,
            LifecycleTransition: g.lifecycleHooks.find((h) => h.lifecycleHookName === a.hookName)
              ?.lifecycleTransition,
            LifecycleActionToken: a.token,
            HeartbeatDeadline: a.heartbeatDeadline,
            GlobalDeadline: a.globalDeadline,
          })),
      ),
    ),
  );
}
