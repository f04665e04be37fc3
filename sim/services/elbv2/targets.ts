// RegisterTargets, DeregisterTargets and DescribeTargetHealth.
import type { ParamReader } from "../../api/params.js";
import type { XmlValue } from "../../api/xml.js";
import type { Sim } from "../../runtime.js";
import type { RegionState } from "../../state/store.js";
import type { TargetGroup } from "../../state/types.js";
import type { OpHandler } from "../types.js";
import { invalidTarget, validation } from "./errors.js";
import { findTargetGroup } from "./lookup.js";
import { beginDeregistration, freshHealth, healthView, startProbing } from "./target-health.js";
import { targetKey, type Target } from "./target-host.js";

interface TargetRef {
  id: string;
  port?: number;
  availabilityZone?: string;
}

function readTargets(params: ParamReader): TargetRef[] {
  const refs = params.objects("Targets").map((t) => ({
    id: t.req("Id"),
    port: t.int("Port"),
    availabilityZone: t.str("AvailabilityZone"),
  }));
  if (refs.length === 0) throw validation("At least one target must be specified");
  return refs;
}

/** Registers targets (already checked); a draining or new target starts over from `initial`. */
export function registerTargets(sim: Sim, region: RegionState, tg: TargetGroup, refs: TargetRef[]): void {
  for (const ref of refs) {
    const port = ref.port ?? tg.port;
    const key = targetKey(ref.id, port);
    const existing = tg.targets[key];
    if (existing && !existing.health.drainUntil) continue;
    const instance = region.instances.get(ref.id);
    const target: Target = {
      id: ref.id,
      port,
      availabilityZone: ref.availabilityZone ?? instance?.availabilityZone,
      health: freshHealth(),
    };
    tg.targets[key] = target;
    startProbing(sim, region, tg, target);
  }
}

export function deregisterTargets(sim: Sim, region: RegionState, tg: TargetGroup, refs: TargetRef[]): void {
  for (const ref of refs)
    for (const target of registered(tg, ref)) beginDeregistration(sim, region, tg, target);
}

// Instances must exist, run (or be starting) and sit in the group's VPC to be registered.
function checkRegistrable(region: RegionState, tg: TargetGroup, refs: TargetRef[]): void {
  if (tg.targetType !== "instance") return;
  const missing = refs.filter((r) => !region.instances.has(r.id)).map((r) => r.id);
  if (missing.length) throw invalidTarget(`The following targets are invalid: '${missing.join("', '")}'`);
  const notRunning = refs.filter(
    (r) => !["running", "pending"].includes(region.instances.get(r.id)?.state ?? ""),
  );
  if (notRunning.length)
    throw invalidTarget(
      `The following targets are not in a running state and cannot be registered: '${notRunning.map((r) => r.id).join("', '")}'`,
    );
  const elsewhere = refs.filter((r) => region.instances.get(r.id)?.vpcId !== tg.vpcId);
  if (elsewhere.length)
    throw invalidTarget(
      `The following targets are not in the target group VPC '${tg.vpcId}': '${elsewhere.map((r) => r.id).join("', '")}'`,
    );
}

function registered(tg: TargetGroup, ref: TargetRef): Target[] {
  return Object.values(tg.targets).filter(
    (t) => t.id === ref.id && (ref.port === undefined || t.port === ref.port),
  );
}

export const registerTargetsOp: OpHandler = ({ sim, region, params }) => {
  const tg = findTargetGroup(region, params.req("TargetGroupArn"));
  const refs = readTargets(params);
  checkRegistrable(region, tg, refs);
  registerTargets(sim, region, tg, refs);
  return {};
};

export const deregisterTargetsOp: OpHandler = ({ sim, region, params }) => {
  const tg = findTargetGroup(region, params.req("TargetGroupArn"));
  const refs = readTargets(params);
  const unknown = refs.filter((r) => registered(tg, r).length === 0 && !region.instances.has(r.id));
  if (tg.targetType === "instance" && unknown.length)
    throw invalidTarget(`The following targets are invalid: '${unknown.map((r) => r.id).join("', '")}'`);
  deregisterTargets(sim, region, tg, refs);
  return {};
};

export const describeTargetHealth: OpHandler = ({ region, params }) => {
  const tg = findTargetGroup(region, params.req("TargetGroupArn"));
  const asked = params.objects("Targets").map((t) => ({ id: t.req("Id"), port: t.int("Port") }));
  const describe = (t: Target): XmlValue => ({
    Target: {
      Id: t.id,
      Port: t.port,
      AvailabilityZone: tg.targetType === "ip" ? t.availabilityZone : undefined,
    },
    // A target of a group no load balancer uses has no health check port, as AWS shows it.
    HealthCheckPort: tg.loadBalancerArns.length === 0 ? undefined : healthCheckPort(tg, t),
    TargetHealth: healthView(region, tg, t),
  });
  if (asked.length === 0) return { TargetHealthDescriptions: Object.values(tg.targets).map(describe) };
  const unknown = asked.filter(
    (r) => tg.targetType === "instance" && !region.instances.has(r.id) && registered(tg, r).length === 0,
  );
  if (unknown.length)
    throw invalidTarget(`The following targets are invalid: '${unknown.map((r) => r.id).join("', '")}'`);
  return {
    TargetHealthDescriptions: asked.flatMap((ref) => {
      const found = registered(tg, ref);
      if (found.length) return found.map(describe);
      return [
        {
          Target: { Id: ref.id, Port: ref.port ?? tg.port },
          TargetHealth: {
            State: "unused",
            Reason: "Target.NotRegistered",
            Description: "Target is not registered to the target group",
          },
        },
      ];
    }),
  };
};

function healthCheckPort(tg: TargetGroup, t: Target): string {
  return tg.healthCheck.port === "traffic-port" ? String(t.port) : tg.healthCheck.port;
}
