import { describe, expect, it } from "vitest";
import {
  initialState,
  schedule,
  type SchedulerEffect,
  type SchedulerEvent,
  type SchedulerState,
} from "../../../../release-server/watch/scheduler.js";

const settings = { debounceMs: 1000, maxWaitMs: 5000 };

/** Runs events through the scheduler; returns the effects of each, by index. */
function run(events: SchedulerEvent[]): { state: SchedulerState; effects: SchedulerEffect[][] } {
  let state = initialState;
  const effects: SchedulerEffect[][] = [];
  for (const e of events) {
    const out = schedule(state, e, settings);
    state = out.state;
    effects.push(out.effects);
  }
  return { state, effects };
}
const starts = (effects: SchedulerEffect[][]) =>
  effects.map((e, i) => (e.some((x) => x.kind === "start-publish") ? i : -1)).filter((i) => i >= 0);

describe("publish scheduler", () => {
  it("a change arms the debounce timer", () => {
    expect(run([{ kind: "change", now: 0 }]).effects).toEqual([[{ kind: "set-timer", at: 1000 }]]);
  });
  it("a further change pushes the timer back", () => {
    const { effects } = run([
      { kind: "change", now: 0 },
      { kind: "change", now: 400 },
    ]);
    expect(effects[1]).toEqual([{ kind: "set-timer", at: 1400 }]);
  });
  it("the timer publishes once the tree has been quiet for the debounce time", () => {
    const { effects, state } = run([
      { kind: "change", now: 0 },
      { kind: "timer", now: 1000 },
    ]);
    expect(starts(effects)).toEqual([1]);
    expect(state).toEqual({ phase: "publishing", requested: false });
  });
  it("a tree that never goes quiet still publishes after maxWait", () => {
    const events: SchedulerEvent[] = [];
    for (let t = 0; t <= 6000; t += 500) events.push({ kind: "change", now: t });
    const { effects } = run(events);
    // The change at 5000 ms is due at min(5000 + 1000, 0 + 5000): at once.
    expect(starts(effects)).toEqual([10]);
  });
  it("changes during a publish coalesce into exactly one next publish", () => {
    const { effects } = run([
      { kind: "change", now: 0 },
      { kind: "timer", now: 1000 },
      { kind: "change", now: 1500 },
      { kind: "change", now: 1600 },
      { kind: "change", now: 1700 },
      { kind: "publish-done", now: 3000 },
    ]);
    expect(starts(effects)).toEqual([1, 5]);
  });
  it("after a publish, recent changes still wait out the debounce", () => {
    const { effects } = run([
      { kind: "request", now: 0 },
      { kind: "change", now: 2900 },
      { kind: "publish-done", now: 3000 },
    ]);
    expect(effects[2]).toEqual([{ kind: "set-timer", at: 3900 }]);
  });
  it("a publish with nothing new behind it leaves the scheduler idle", () => {
    const { effects, state } = run([
      { kind: "request", now: 0 },
      { kind: "publish-done", now: 10 },
    ]);
    expect(effects[1]).toEqual([]);
    expect(state).toEqual({ phase: "idle", requested: false });
  });
  it("a request publishes at once and cancels the debounce timer", () => {
    const { effects } = run([
      { kind: "change", now: 0 },
      { kind: "request", now: 10 },
    ]);
    expect(effects[1]).toEqual([{ kind: "clear-timer" }, { kind: "start-publish" }]);
  });
  it("a request during a publish runs right after it, without debounce", () => {
    const { effects } = run([
      { kind: "request", now: 0 },
      { kind: "request", now: 5 },
      { kind: "request", now: 6 },
      { kind: "publish-done", now: 10 },
      { kind: "publish-done", now: 20 },
    ]);
    expect(starts(effects)).toEqual([0, 3]);
  });
  it("a stale timer firing during a publish starts nothing", () => {
    const { effects } = run([
      { kind: "request", now: 0 },
      { kind: "timer", now: 5 },
    ]);
    expect(effects[1]).toEqual([]);
  });
});
