// When to publish, as a pure state machine: file changes are debounced (and published at the latest
// maxWait after the first one, so a tree that never stops changing still ships); changes during a
// publish coalesce into exactly one next publish; an explicit request publishes at once, or right
// after the running one. The runtime (run-scheduler.ts) turns the effects into timers and calls.

export interface SchedulerSettings {
  debounceMs: number;
  maxWaitMs: number;
}

export interface SchedulerState {
  phase: "idle" | "publishing";
  /** Time of the first change not yet covered by a publish. */
  dirtySince?: number;
  lastChange?: number;
  /** Someone asked for a publish that has not started yet. */
  requested: boolean;
  /** When the pending timer fires, if one is set. */
  timerAt?: number;
}

export type SchedulerEvent =
  | { kind: "change"; now: number }
  | { kind: "request"; now: number }
  | { kind: "timer"; now: number }
  | { kind: "publish-done"; now: number };

export type SchedulerEffect =
  { kind: "start-publish" } | { kind: "set-timer"; at: number } | { kind: "clear-timer" };

export const initialState: SchedulerState = { phase: "idle", requested: false };

export function schedule(
  state: SchedulerState,
  event: SchedulerEvent,
  s: SchedulerSettings,
): { state: SchedulerState; effects: SchedulerEffect[] } {
  switch (event.kind) {
    case "change": {
      const next = { ...state, lastChange: event.now, dirtySince: state.dirtySince ?? event.now };
      // While publishing, the change waits for publish-done: it is not in the running publish.
      return next.phase === "publishing" ? { state: next, effects: [] } : armOrStart(next, event.now, s);
    }
    case "request":
      return state.phase === "publishing"
        ? { state: { ...state, requested: true }, effects: [] }
        : start({ ...state, requested: true });
    case "timer":
      if (state.phase === "publishing") return { state: { ...state, timerAt: undefined }, effects: [] };
      return armOrStart({ ...state, timerAt: undefined }, event.now, s);
    case "publish-done": {
      const idle: SchedulerState = { ...state, phase: "idle" };
      if (idle.requested) return start(idle);
      return idle.dirtySince === undefined ? { state: idle, effects: [] } : armOrStart(idle, event.now, s);
    }
  }
}

/** The time a dirty tree is due to publish. */
export function dueAt(state: SchedulerState, s: SchedulerSettings): number | undefined {
  if (state.dirtySince === undefined || state.lastChange === undefined) return undefined;
  return Math.min(state.lastChange + s.debounceMs, state.dirtySince + s.maxWaitMs);
}

function armOrStart(
  state: SchedulerState,
  now: number,
  s: SchedulerSettings,
): { state: SchedulerState; effects: SchedulerEffect[] } {
  const due = dueAt(state, s);
  if (due === undefined) return { state, effects: [] };
  if (due <= now) return start(state);
  if (state.timerAt === due) return { state, effects: [] };
  return { state: { ...state, timerAt: due }, effects: [{ kind: "set-timer", at: due }] };
}

function start(state: SchedulerState): { state: SchedulerState; effects: SchedulerEffect[] } {
  const effects: SchedulerEffect[] = state.timerAt === undefined ? [] : [{ kind: "clear-timer" }];
  effects.push({ kind: "start-publish" });
  // The publish covers every change and request so far; later ones make the next publish.
  return { state: { phase: "publishing", requested: false }, effects };
}
