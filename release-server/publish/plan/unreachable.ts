// When a publish stops waiting for a member it cannot reach: after `attempts` failed connections in
// a row, or once its failures have lasted `afterMs`, whichever comes first. The member is then
// reported as a straggler at once, instead of holding the publish (and every publish queued behind
// it) until the reconcile deadline; the daemon's scheduled reconcile keeps retrying it.
import type { MemberState } from "./fanout.js";
import { isTargetLifecycle, type Member } from "../members.js";

export interface UnreachableRule {
  /** Failed attempts in a row after which a member is given up on for this run. */
  attempts: number;
  /** Time from the start of the first failed attempt after which it is given up on. */
  afterMs: number;
}

/** A member's run of failed connections: how many, since when, and the last error. */
export interface Streak {
  failures: number;
  sinceMs: number;
  message: string;
}

/**
 * The streaks after one more attempt on `instanceId` (started at `atMs`): an unreachable state
 * extends its streak, any other answer (even an error the member itself returned) ends it, and no
 * state at all (a push that failed before reaching the member) leaves it as it was.
 */
export function recordAttempt(
  streaks: ReadonlyMap<string, Streak>,
  instanceId: string,
  state: MemberState | undefined,
  atMs: number,
): Map<string, Streak> {
  const next = new Map(streaks);
  if (!state) return next;
  if (state.kind !== "unreachable") {
    next.delete(instanceId);
    return next;
  }
  const prior = streaks.get(instanceId);
  next.set(instanceId, {
    failures: (prior?.failures ?? 0) + 1,
    sinceMs: prior?.sinceMs ?? atMs,
    message: state.message,
  });
  return next;
}

/**
 * The members given up on at `nowMs`, with the straggler reason. A member still booting (a Pending
 * lifecycle state) is never given up on here: its ssh server may not be up yet, and it is waited
 * for like a member whose release volume is not mounted yet, until the reconcile deadline.
 */
export function givenUp(
  members: readonly Member[],
  streaks: ReadonlyMap<string, Streak>,
  nowMs: number,
  rule: UnreachableRule | undefined,
): Map<string, string> {
  const out = new Map<string, string>();
  if (!rule) return out;
  for (const m of members) {
    const s = streaks.get(m.instanceId);
    if (!s || !isTargetLifecycle(m.lifecycleState) || m.lifecycleState.startsWith("Pending")) continue;
    const lasted = nowMs - s.sinceMs;
    if (s.failures >= rule.attempts || lasted >= rule.afterMs) {
      const attempts = `${s.failures} failed attempt${s.failures === 1 ? "" : "s"}`;
      out.set(m.instanceId, `unreachable: ${s.message} (${attempts} in ${Math.round(lasted / 1000)} s)`);
    }
  }
  return out;
}
