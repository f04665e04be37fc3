// The scheduler's runtime with fake time: who gets which report.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Progress, PublishReport } from "../../../../release-server/publish/report.js";
import {
  PublishScheduler,
  type RequestOptions,
  type Timers,
} from "../../../../release-server/watch/run-scheduler.js";

const report = (n: number): PublishReport => ({
  result: "published",
  releaseId: `r${n}`,
  startedAt: "",
  durationMs: 0,
  members: [],
});

const fakeTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

describe("PublishScheduler", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A publish the test finishes by hand. */
  function controlledPublish() {
    const runs: { finish(): void; onEvent: Progress; opts: RequestOptions }[] = [];
    const publish = (onEvent: Progress, opts: RequestOptions) =>
      new Promise<PublishReport>((resolve) => {
        const n = runs.length + 1;
        runs.push({ finish: () => resolve(report(n)), onEvent, opts });
      });
    return { runs, publish };
  }

  it("debounces a burst of changes into one publish", async () => {
    const { runs, publish } = controlledPublish();
    const s = new PublishScheduler({ debounceMs: 1000, maxWaitMs: 10_000 }, publish, fakeTimers);
    for (let i = 0; i < 5; i++) {
      s.changed();
      await vi.advanceTimersByTimeAsync(200);
    }
    expect(runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toHaveLength(1);
  });

  it("requests made during a publish share the next publish and its report", async () => {
    const { runs, publish } = controlledPublish();
    const s = new PublishScheduler({ debounceMs: 1000, maxWaitMs: 10_000 }, publish, fakeTimers);
    const first = s.request();
    const second = s.request();
    const third = s.request();
    expect(runs).toHaveLength(1);
    runs[0]?.finish();
    expect((await first).releaseId).toBe("r1");
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(2);
    runs[1]?.finish();
    expect([(await second).releaseId, (await third).releaseId]).toEqual(["r2", "r2"]);
  });

  it("forwards progress events to the requests the publish covers", async () => {
    const { runs, publish } = controlledPublish();
    const s = new PublishScheduler({ debounceMs: 1000, maxWaitMs: 10_000 }, publish, fakeTimers);
    const seen: string[] = [];
    const done = s.request((e) => seen.push(e.type));
    runs[0]?.onEvent({ type: "step", step: "synced", status: "done" });
    runs[0]?.finish();
    await done;
    expect(seen).toEqual(["step"]);
  });

  it("a change during a publish runs one more publish after it", async () => {
    const { runs, publish } = controlledPublish();
    const s = new PublishScheduler({ debounceMs: 1000, maxWaitMs: 10_000 }, publish, fakeTimers);
    void s.request();
    s.changed();
    s.changed();
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs).toHaveLength(1);
    runs[0]?.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(2);
  });

  it("lets the shrink guard be overridden only for the publish that serves the request asking for it", async () => {
    const { runs, publish } = controlledPublish();
    const s = new PublishScheduler({ debounceMs: 1000, maxWaitMs: 10_000 }, publish, fakeTimers);
    void s.request();
    void s.request(() => {}, { allowShrink: true });
    expect(runs[0]?.opts).toEqual({});
    runs[0]?.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs[1]?.opts).toEqual({ allowShrink: true });
    runs[1]?.finish();
    // Changes of the watched tree alone never override it.
    s.changed();
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs[2]?.opts).toEqual({});
  });

  it("serves a rollback by a publish of its own, then the publishes of the tree", async () => {
    const { runs, publish } = controlledPublish();
    const s = new PublishScheduler({ debounceMs: 1000, maxWaitMs: 10_000 }, publish, fakeTimers);
    void s.request();
    const rollback = s.request(() => {}, { rollbackTo: "r-old", explicit: true });
    const plain = s.request(() => {}, { explicit: true, allowShrink: true });
    runs[0]?.finish();
    await vi.advanceTimersByTimeAsync(0);
    // The shrink override belongs to the tree's publish, not to the rollback.
    expect(runs[1]?.opts).toEqual({ rollbackTo: "r-old", explicit: true });
    runs[1]?.finish();
    expect((await rollback).releaseId).toBe("r2");
    await vi.advanceTimersByTimeAsync(0);
    expect(runs[2]?.opts).toEqual({ allowShrink: true, explicit: true });
    runs[2]?.finish();
    expect((await plain).releaseId).toBe("r3");
  });

  it("marks only operators' requests explicit: the watcher's publishes are automatic", async () => {
    const { runs, publish } = controlledPublish();
    const s = new PublishScheduler({ debounceMs: 1000, maxWaitMs: 10_000 }, publish, fakeTimers);
    s.changed();
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs[0]?.opts).toEqual({});
    runs[0]?.finish();
    await vi.advanceTimersByTimeAsync(0);
    void s.request(() => {}, { explicit: true });
    expect(runs[1]?.opts).toEqual({ explicit: true });
  });

  it("tells the running publish that a change or a request waits behind it, and only then", async () => {
    const { runs, publish } = controlledPublish();
    let queued = 0;
    const s = new PublishScheduler({ debounceMs: 1000, maxWaitMs: 10_000 }, publish, fakeTimers, () => {
      queued++;
    });
    void s.request();
    expect(runs).toHaveLength(1);
    expect(queued).toBe(0);
    s.changed();
    void s.request();
    expect(queued).toBe(2);
    runs[0]?.finish();
    await vi.advanceTimersByTimeAsync(0);
    // The queued request started the next publish on its own: no one waits behind it yet.
    expect(runs).toHaveLength(2);
    expect(queued).toBe(2);
    runs[1]?.finish();
    await vi.advanceTimersByTimeAsync(0);
    s.changed();
    expect(queued).toBe(2);
  });
});
