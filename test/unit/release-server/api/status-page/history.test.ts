import { describe, expect, it } from "vitest";
import {
  countByRelease,
  MAX_PUBLISHES,
  MAX_TIMELINE_POINTS,
  StepClock,
  UNKNOWN_RELEASE,
} from "../../../../../release-server/api/status-page/history.js";
import { StatusBoard } from "../../../../../release-server/api/status.js";
import type { MemberOutcome, PublishReport } from "../../../../../release-server/publish/report.js";

const m = (id: string, releaseId?: string, straggler = false): MemberOutcome => ({
  instanceId: id,
  asg: "web",
  ...(releaseId ? { releaseId } : {}),
  status: straggler ? "straggler" : "converged",
  ...(straggler ? { reason: "unreachable" } : {}),
});
const report = (r: Partial<PublishReport>): PublishReport => ({
  result: "published",
  startedAt: "2026-01-01T00:00:00.000Z",
  durationMs: 10,
  members: [],
  ...r,
});

describe("StepClock", () => {
  it("times each step from its first start to its end, in the order first seen", () => {
    let now = 100;
    const c = new StepClock(() => now);
    c.see({ type: "step", step: "synced", status: "start" });
    now = 350;
    c.see({ type: "step", step: "synced", status: "done" });
    c.see({ type: "step", step: "snapshot-completed", status: "start" });
    now = 400;
    // Snapshot progress repeats the start: the first one counts.
    c.see({ type: "step", step: "snapshot-completed", status: "start", message: "50%" });
    now = 1350;
    c.see({ type: "step", step: "snapshot-completed", status: "fail" });
    c.see({ type: "step", step: "frozen", status: "skip" });
    c.see({ type: "push", instanceId: "i-1", status: "ok" });
    c.see({ type: "step", step: "recovered", status: "done" });
    c.see({ type: "step", step: "pointer-published", status: "start" });
    expect(c.timings()).toEqual([
      { step: "synced", status: "done", ms: 250 },
      { step: "snapshot-completed", status: "fail", ms: 1000 },
      { step: "frozen", status: "skip" },
      { step: "recovered", status: "done" },
      { step: "pointer-published", status: "start" },
    ]);
  });
});

describe("countByRelease", () => {
  it("counts members per release, an unreadable manifest as unknown", () => {
    expect(countByRelease([m("a", "r1"), m("b", "r2"), m("c", "r1"), m("d")])).toEqual({
      r1: 2,
      r2: 1,
      [UNKNOWN_RELEASE]: 1,
    });
  });
});

describe("StatusBoard history", () => {
  const board = () =>
    new StatusBoard(
      "p",
      () => undefined,
      () => false,
    );

  it("keeps the publishes newest first, and a point per check that looked at members", () => {
    const b = board();
    b.published(
      report({ releaseId: "r1", members: [m("a", "r1"), m("b", "r0", true)] }),
      new Date("2026-01-01T00:01:00Z"),
      [{ step: "synced", status: "done", ms: 5 }],
    );
    b.published(report({ result: "failed", error: "boom" }), new Date("2026-01-01T00:02:00Z"));
    b.published(report({ result: "unchanged", pinned: "r0" }), new Date("2026-01-01T00:03:00Z"));
    b.reconciled([m("a", "r1"), m("b", "r1")], new Date("2026-01-01T00:04:00Z"));
    const r = b.report();
    expect(r.publishes?.map((p) => [p.result, p.members, p.stragglers, p.steps.length])).toEqual([
      ["unchanged", 0, 0, 0],
      ["failed", 0, 0, 0],
      ["published", 2, 1, 1],
    ]);
    expect(r.publishes?.[1]?.error).toBe("boom");
    // Neither the failed nor the pinned publish checked a member.
    expect(r.timeline).toEqual([
      { at: "2026-01-01T00:01:00.000Z", counts: { r1: 1, r0: 1 } },
      { at: "2026-01-01T00:04:00.000Z", counts: { r1: 2 } },
    ]);
  });

  it("stays bounded", () => {
    const b = board();
    for (let i = 0; i < MAX_TIMELINE_POINTS + 30; i++) {
      b.published(
        report({ releaseId: `r${i}`, members: [m("a", `r${i}`)] }),
        new Date(Date.UTC(2026, 0, 1, 0, i)),
      );
    }
    const r = b.report();
    expect(r.publishes).toHaveLength(MAX_PUBLISHES);
    expect(r.publishes?.[0]?.releaseId).toBe(`r${MAX_TIMELINE_POINTS + 29}`);
    expect(r.timeline).toHaveLength(MAX_TIMELINE_POINTS);
    expect(Object.keys(r.timeline?.[0]?.counts ?? {})).toEqual(["r30"]);
  });
});
