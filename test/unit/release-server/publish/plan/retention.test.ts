import { describe, expect, it } from "vitest";
import { planRetention, type ReleaseSnapshot } from "../../../../../release-server/publish/plan/retention.js";

const snap = (n: number, state = "completed"): ReleaseSnapshot => ({
  snapshotId: `snap-${n}`,
  state,
  startTime: `2025-01-0${n}T00:00:00.000Z`,
  releaseId: `r${n}`,
});
const five = [1, 2, 3, 4, 5].map((n) => snap(n));
const ids = (actions: ReturnType<typeof planRetention>) => actions.map((a) => a.snapshotId);

describe("planRetention", () => {
  it.each([
    { rule: "keeps the newest K and deletes the rest", keep: 3, extra: {}, deleted: ["snap-2", "snap-1"] },
    {
      rule: "never deletes the current release",
      keep: 3,
      extra: { currentSnapshotId: "snap-1" },
      deleted: ["snap-2"],
    },
    {
      rule: "never deletes a snapshot a volume was made from",
      keep: 3,
      extra: { inUseSnapshotIds: new Set(["snap-2"]) },
      deleted: ["snap-1"],
    },
    {
      rule: "never deletes the in-flight publish's snapshot",
      keep: 4,
      extra: { inFlightSnapshotId: "snap-1" },
      deleted: [],
    },
    {
      rule: "keeps at least one even when asked for zero",
      keep: 0,
      extra: {},
      deleted: ["snap-4", "snap-3", "snap-2", "snap-1"],
    },
    { rule: "deletes nothing when there are no more than K", keep: 5, extra: {}, deleted: [] },
  ])("$rule", ({ keep, extra, deleted }) => {
    expect(ids(planRetention({ snapshots: five, keep, inUseSnapshotIds: new Set(), ...extra }))).toEqual(
      deleted,
    );
  });

  it("never deletes a pending snapshot, which may be another publish at work", () => {
    const snapshots = [snap(1, "pending"), snap(2), snap(3)];
    expect(ids(planRetention({ snapshots, keep: 1, inUseSnapshotIds: new Set() }))).toEqual(["snap-2"]);
  });
  it("deletes failed snapshots whatever their age, and they do not count towards K", () => {
    const snapshots = [snap(1), snap(2, "error")];
    expect(planRetention({ snapshots, keep: 1, inUseSnapshotIds: new Set() })).toEqual([
      { kind: "delete-snapshot", snapshotId: "snap-2", releaseId: "r2", reason: "failed" },
    ]);
  });
  it("says why it deletes", () => {
    expect(planRetention({ snapshots: five, keep: 4, inUseSnapshotIds: new Set() })).toEqual([
      {
        kind: "delete-snapshot",
        snapshotId: "snap-1",
        releaseId: "r1",
        reason: "older than the 4 newest releases",
      },
    ]);
  });
});
