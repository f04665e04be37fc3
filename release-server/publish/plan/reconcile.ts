// The reconcile decision after each re-listing: converged, push again to those behind, or (past the
// deadline, or when only members given up on are left) report stragglers with the reason, to be
// retried on the next cycle.
import { planFanout, type MemberState, type Waiting } from "./fanout.js";
import type { Member } from "../members.js";

export type ReconcileDecision =
  | { kind: "converged"; instanceIds: string[] }
  | { kind: "retry"; push: Member[]; waiting: Waiting[] }
  | { kind: "stragglers"; stragglers: Waiting[]; converged: string[] };

export interface ReconcileInput {
  members: readonly Member[];
  releaseId: string;
  states: ReadonlyMap<string, MemberState>;
  lastPushErrors?: ReadonlyMap<string, string>;
  /** Members given up on as unreachable (unreachable.ts), with the reason. */
  givenUp?: ReadonlyMap<string, string>;
  deadlinePassed: boolean;
}

export function planReconcile(input: ReconcileInput): ReconcileDecision {
  const plan = planFanout(input.members, input.releaseId, input.states, input.lastPushErrors, input.givenUp);
  if (plan.push.length === 0 && plan.waiting.length === 0) {
    return { kind: "converged", instanceIds: plan.converged };
  }
  const settled = plan.push.length === 0 && plan.waiting.every((w) => w.settled);
  if (input.deadlinePassed || settled) {
    const pushedIds = new Set(plan.waiting.map((w) => w.instanceId));
    // A member pushed but never read (no state yet) still has to be named.
    const unexplained = plan.push
      .filter((m) => !pushedIds.has(m.instanceId))
      .map((m) => ({ instanceId: m.instanceId, asg: m.asg, reason: "not confirmed on the release" }));
    return { kind: "stragglers", stragglers: [...plan.waiting, ...unexplained], converged: plan.converged };
  }
  return { kind: "retry", push: plan.push, waiting: plan.waiting };
}
