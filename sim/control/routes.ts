// The control API under /_sim/: call counts, faults, clock, state dump, background errors, and
// routes services add (e.g. a snapshot owned by another account). JSON in and out.
import { SimError } from "../api/errors.js";
import type { Sim } from "../runtime.js";
import type { FaultSpec } from "./faults.js";
import type { PolicyDocument } from "../auth/evaluate.js";

function allowList(body: unknown): string[] | undefined {
  const actions = (body as { actions?: unknown } | null)?.actions;
  if (actions === null || actions === undefined) return undefined;
  if (!Array.isArray(actions) || !actions.every((a) => typeof a === "string"))
    throw new SimError("InvalidInput", 'expected {"actions": ["service:Action", ...]} or {"actions": null}');
  return actions as string[];
}

/** {accessKeyId, policies: [document...], keys?: {"ec2:SourceInstanceARN": ...}, arn?} */
function principalBody(body: unknown) {
  const b = (body ?? {}) as Record<string, unknown>;
  const keys = (b.keys ?? {}) as Record<string, unknown>;
  if (
    typeof b.accessKeyId !== "string" ||
    !Array.isArray(b.policies) ||
    !b.policies.every((p) => typeof p === "object" && p !== null && "Statement" in p) ||
    typeof keys !== "object" ||
    !Object.values(keys).every((v) => typeof v === "string") ||
    (b.arn !== undefined && typeof b.arn !== "string")
  )
    throw new SimError(
      "InvalidInput",
      'expected {"accessKeyId": "...", "policies": [{"Statement": [...]}, ...], "keys"?: {...}, "arn"?: "..."}',
    );
  return {
    accessKeyId: b.accessKeyId,
    policies: b.policies as PolicyDocument[],
    keys: keys as Record<string, string>,
    arn: b.arn as string | undefined,
  };
}

export type ControlHandler = (body: unknown, query: URLSearchParams) => unknown | Promise<unknown>;

export class ControlRoutes {
  private readonly routes = new Map<string, ControlHandler>();

  constructor(sim: Sim) {
    // Who answers: `asg-release sim status` finds a region by its port and names its state directory.
    this.add("GET", "/_sim/health", () => ({
      ok: true,
      pid: process.pid,
      stateDir: sim.options.stateDir,
      region: Object.keys(sim.options.regions)[0],
    }));
    this.add("GET", "/_sim/state", () => sim.state.toJSON());
    this.add("GET", "/_sim/calls", () => sim.faults.callCounts());
    this.add("DELETE", "/_sim/calls", () => {
      sim.faults.resetCounts();
      return {};
    });
    this.add("GET", "/_sim/faults", () => sim.faults.list());
    this.add("DELETE", "/_sim/faults", () => {
      sim.faults.clear();
      return {};
    });
    this.add("PUT", "/_sim/faults", (body) => {
      const { op, ...spec } = body as { op: string } & FaultSpec;
      sim.setFault(op, spec);
      return {};
    });
    this.add("POST", "/_sim/clock/advance", async (body) => {
      await sim.clock.advance(Number((body as { ms: number }).ms));
      return { now: sim.clock.now() };
    });
    this.add("GET", "/_sim/errors", () => sim.backgroundErrors());
    // The IAM allow-list: {actions: ["ec2:RunInstances", ...]} enforces it, {actions: null} lifts it.
    this.add("GET", "/_sim/allow-actions", () => ({ actions: sim.options.allowActions ?? null }));
    this.add("PUT", "/_sim/allow-actions", (body) => {
      sim.options.allowActions = allowList(body);
      return { actions: sim.options.allowActions ?? null };
    });
    // Access keys decided by IAM policies: bound to documents here, or an instance's role credentials.
    this.add("GET", "/_sim/principals", () => ({
      principals: sim.principals.list(),
      enforceInstanceRoles: sim.principals.enforceInstanceRoles,
    }));
    this.add("PUT", "/_sim/principals", (body) => {
      const p = principalBody(body);
      sim.principals.bind(p.accessKeyId, {
        arn: p.arn ?? `arn:aws:iam::${sim.options.accountId}:user/${p.accessKeyId}`,
        policies: () => p.policies,
        keys: p.keys,
        instanceRole: false,
      });
      return { accessKeyId: p.accessKeyId };
    });
    this.add("DELETE", "/_sim/principals", (_body, query) => ({
      removed: sim.principals.unbind(query.get("accessKeyId") ?? ""),
    }));
    this.add("PUT", "/_sim/principals/enforce-instance-roles", (body) => {
      sim.principals.enforceInstanceRoles = (body as { enforce?: unknown } | null)?.enforce === true;
      return { enforceInstanceRoles: sim.principals.enforceInstanceRoles };
    });
  }

  add(method: string, path: string, handler: ControlHandler): void {
    this.routes.set(`${method} ${path}`, handler);
  }

  find(method: string, path: string): ControlHandler | undefined {
    return this.routes.get(`${method} ${path}`);
  }
}
