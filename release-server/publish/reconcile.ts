// Reconcile: list the members again, read each one's manifest, push again to those behind (including
// instances launched during the publish, which booted from the previous snapshot), until all are on
// the release, or the deadline passes, or only members given up on as unreachable are left
// (unreachable.ts), or a newer publish supersedes this one (`stop`: the pass under way ends, the
// members are reported as they were last seen, and the newer publish pushes them again). Runs on the
// one poller; stragglers come back with reasons.
import { AsgReleaseError } from "#shared/errors.js";
import { poll, systemClock, type Clock, type Observation } from "#shared/poll.js";
import type { MemberState } from "./plan/fanout.js";
import { pushMembers, type FanoutContext } from "./fanout.js";
import { mapLimit } from "./map-limit.js";
import { readMemberState } from "./member-io.js";
import type { Member } from "./members.js";
import { planReconcile, type ReconcileDecision } from "./plan/reconcile.js";
import type { MemberOutcome } from "./report.js";
import { givenUp, recordAttempt, type Streak, type UnreachableRule } from "./plan/unreachable.js";

export interface ReconcileOptions {
  releaseId: string;
  listMembers: () => Promise<Member[]>;
  deadlineMs: number;
  intervalMs: number;
  /** Errors of the pushes just made, so a straggler's reason says what went wrong. */
  pushErrors?: Map<string, string>;
  /** What the pushes just made read back; the first pass reads only the other members. */
  known?: ReadonlyMap<string, MemberState>;
  /** When to stop waiting for a member that cannot be reached; absent: at the deadline. */
  unreachable?: UnreachableRule;
  /**
   * The failed-connection streaks of earlier runs (publishes and scheduled reconciles), carried on
   * and written back: a member already given up on is given up on again at its first failed
   * attempt, so no later publish waits for it.
   */
  streaks?: Map<string, Streak>;
  clock?: Clock;
  /**
   * Aborted when a newer publish is waiting: stop after the pass under way (at least one pass is
   * made) and report, instead of waiting for the deadline.
   */
  stop?: AbortSignal;
}

export interface ReconcileResult {
  converged: boolean;
  members: MemberOutcome[];
  /** Cut short by `stop` with members still behind. */
  superseded?: boolean;
}

export async function reconcile(ctx: FanoutContext, o: ReconcileOptions): Promise<ReconcileResult> {
  const clock = o.clock ?? systemClock;
  const pushErrors = new Map(o.pushErrors ?? []);
  let last: { members: Member[]; states: Map<string, MemberState>; givenUp: Map<string, string> } = {
    members: [],
    states: new Map(),
    givenUp: new Map(),
  };
  let known = new Map<string, MemberState>(o.known ?? []);
  let knownAt = clock.now();
  let streaks = new Map<string, Streak>(o.streaks ?? []);
  // A member left read-write reads back like any other on the release: remember it for this run.
  const leftWritable = new Map([...known].filter(([, st]) => st.kind === "left-writable"));
  const observe = async () => {
    const members = await o.listMembers();
    const states = new Map<string, MemberState>();
    const readAt = clock.now();
    await mapLimit(members, ctx.concurrency, async (m) => {
      if (!m.privateIp) return;
      const pushed = known.get(m.instanceId);
      if (pushed) streaks = recordAttempt(streaks, m.instanceId, pushed, knownAt);
      const fresh = pushed ?? leftWritable.get(m.instanceId);
      if (fresh) {
        states.set(m.instanceId, fresh);
        return;
      }
      const target = { instanceId: m.instanceId, privateIp: m.privateIp };
      const state = await readMemberState(ctx.run, target, ctx.remote, ctx.instanceTimeoutMs, ctx.signal);
      streaks = recordAttempt(streaks, m.instanceId, state, readAt);
      states.set(m.instanceId, state);
    });
    const gaveUp = givenUp(members, streaks, clock.now(), o.unreachable);
    last = { members, states, givenUp: gaveUp };
    known = new Map();
    return planReconcile({
      members,
      releaseId: o.releaseId,
      states,
      lastPushErrors: pushErrors,
      givenUp: gaveUp,
      deadlinePassed: false,
    });
  };
  const pass = async (): Promise<Observation<ReconcileDecision>> => {
    const decision = await observe();
    if (decision.kind !== "retry") return { state: "SUCCESS", value: decision };
    // A superseded run pushes no more: the newer publish pushes everyone anyway.
    if (decision.push.length > 0 && !o.stop?.aborted) {
      knownAt = clock.now();
      for (const [id, r] of await pushMembers(ctx, decision.push)) {
        if (r.ok) pushErrors.delete(id);
        else pushErrors.set(id, r.message);
        if (r.state) known.set(id, r.state);
        if (r.state?.kind === "left-writable") leftWritable.set(id, r.state);
        else leftWritable.delete(id);
      }
    }
    // Superseded: what this pass saw (and its pushes read back) is the report.
    if (o.stop?.aborted) {
      for (const [id, st] of known) {
        last.states.set(id, st);
        streaks = recordAttempt(streaks, id, st, knownAt);
      }
      return { state: "SUCCESS", value: decision };
    }
    const behind = decision.push.length + decision.waiting.length;
    return { state: "RETRY", reason: `${behind} member(s) not on ${o.releaseId}` };
  };
  const signals = [ctx.signal, o.stop].filter((x): x is AbortSignal => x !== undefined);
  try {
    if (o.stop?.aborted) await pass();
    else
      await poll<ReconcileDecision>(pass, {
        what: `every member on release ${o.releaseId}`,
        maxWaitMs: o.deadlineMs,
        minDelayMs: o.intervalMs,
        maxDelayMs: Math.max(o.intervalMs, 15_000),
        clock,
        ...(signals.length > 0 ? { signal: AbortSignal.any(signals) } : {}),
      });
  } catch (err) {
    const superseded =
      err instanceof AsgReleaseError && err.code === "Aborted" && o.stop?.aborted && !ctx.signal?.aborted;
    if (!(err instanceof AsgReleaseError && err.code === "WaitTimeout") && !superseded) throw err;
  }
  if (o.streaks) {
    // Only the members still listed keep theirs.
    const listed = new Set(last.members.map((m) => m.instanceId));
    o.streaks.clear();
    for (const [id, st] of streaks) if (listed.has(id)) o.streaks.set(id, st);
  }
  const final = planReconcile({
    members: last.members,
    releaseId: o.releaseId,
    states: last.states,
    lastPushErrors: pushErrors,
    givenUp: last.givenUp,
    deadlinePassed: true,
  });
  const converged = final.kind === "converged";
  return {
    converged,
    members: outcomes(last.members, last.states, final),
    ...(!converged && o.stop?.aborted ? { superseded: true } : {}),
  };
}

function outcomes(
  members: Member[],
  states: Map<string, MemberState>,
  d: ReconcileDecision,
): MemberOutcome[] {
  const stragglers = new Map(
    d.kind === "stragglers" ? d.stragglers.map((s) => [s.instanceId, s.reason]) : [],
  );
  return members.map((m) => {
    const state = states.get(m.instanceId);
    const reason = stragglers.get(m.instanceId);
    return {
      instanceId: m.instanceId,
      asg: m.asg,
      ...(m.privateIp ? { privateIp: m.privateIp } : {}),
      ...(state?.kind === "on-release" || (state?.kind === "left-writable" && state.releaseId)
        ? { releaseId: state.releaseId }
        : {}),
      status: reason === undefined ? "converged" : "straggler",
      ...(reason === undefined ? {} : { reason }),
    };
  });
}
