// Control routes for health checking: what light instances answer (all of them, or one), and a
// way to wait until no real probe is in flight.
//   PUT /_sim/health/light     {healthy: true|false} | {probe: true}
//   PUT /_sim/health/override  {instanceId, healthy: true|false} | {instanceId, probe: true} | {instanceId} (clears)
//   GET /_sim/health/policy
//   POST /_sim/health/settle
import { SimError } from "../../api/errors.js";
import type { Sim } from "../../runtime.js";
import { healthMonitor } from "./monitor.js";
import { modeFromBody } from "./policy.js";

export function addHealthControls(sim: Sim): void {
  const policy = () => healthMonitor(sim).policy;
  sim.control.add("GET", "/_sim/health/policy", () => policy().toJSON());
  sim.control.add("PUT", "/_sim/health/light", (body) => {
    const mode = modeFromBody(body as { healthy?: unknown; probe?: unknown });
    if (!mode) throw new SimError("ValidationError", "expected {healthy: true|false} or {probe: true}");
    policy().setDefault(mode);
    return policy().toJSON();
  });
  sim.control.add("PUT", "/_sim/health/override", (body) => {
    const input = body as { instanceId?: unknown; healthy?: unknown; probe?: unknown };
    if (typeof input.instanceId !== "string") throw new SimError("ValidationError", "instanceId is required");
    const instanceId = input.instanceId;
    const full = [...sim.state.regions.values()].some(
      (r) => r.instances.get(instanceId)?.hostKind === "full",
    );
    if (full)
      throw new SimError(
        "ValidationError",
        `${instanceId} is a full instance: it answers health checks itself`,
      );
    policy().setOverride(instanceId, modeFromBody(input));
    return policy().toJSON();
  });
  sim.control.add("POST", "/_sim/health/settle", async () => {
    await healthMonitor(sim).settled();
    return {};
  });
}
