// The teardown planner: detached volumes, release snapshots and the pointer are deleted; attached
// volumes are left with the reason; a release volume on a live instance refuses the teardown.
import { describe, expect, it } from "vitest";
import {
  formatPlan,
  planTeardown,
  type ObservedVolume,
  type TeardownObservation,
} from "../../../../release-server/teardown/plan.js";

const base = (o: Partial<TeardownObservation> = {}): TeardownObservation => ({
  project: "shop",
  region: "us-east-1",
  volumes: [],
  snapshots: [],
  ...o,
});
const vol = (id: string, role: ObservedVolume["role"], state = "available", more = {}): ObservedVolume => ({
  id,
  sizeGiB: 8,
  state,
  role,
  ...more,
});

describe("planTeardown", () => {
  it("deletes detached volumes, snapshots and the pointer; leaves attached volumes", () => {
    const plan = planTeardown(
      base({
        volumes: [
          vol("vol-1", "release-volume"),
          vol("vol-2", "rollback-source"),
          vol("vol-3", "agent", "error"),
          vol("vol-4", "agent", "in-use", { attachedTo: "i-9", instanceState: "running" }),
          vol("vol-5", "agent", "creating"),
        ],
        snapshots: [
          { id: "snap-2", sizeGiB: 8 },
          { id: "snap-1", sizeGiB: 8, releaseId: "r1" },
        ],
        pointer: { bucket: "b", key: "shop/current.json", exists: true },
      }),
    );
    expect(plan.refused).toBeUndefined();
    expect(plan.delete.map((i) => [i.kind, i.id, i.what])).toEqual([
      ["volume", "vol-1", "release volume (available)"],
      ["volume", "vol-2", "rollback source (available)"],
      ["volume", "vol-3", "agent volume (error)"],
      ["snapshot", "snap-1", "release r1"],
      ["snapshot", "snap-2", "release snapshot"],
      ["object", "s3://b/shop/current.json", "release pointer"],
    ]);
    expect(plan.left.map((i) => [i.id, i.reason])).toEqual([
      ["vol-4", "attached to i-9"],
      ["vol-5", "creating: run teardown again once it settles"],
    ]);
  });

  it("refuses while the release volume is attached to a live instance", () => {
    const plan = planTeardown(
      base({
        volumes: [vol("vol-1", "release-volume", "in-use", { attachedTo: "i-1", instanceState: "running" })],
        snapshots: [{ id: "snap-1", sizeGiB: 8 }],
      }),
    );
    expect(plan.refused).toContain("vol-1 on i-1");
    expect(plan.refused).toContain("terminate the release host first, or detach the volume");
  });

  it("does not refuse for a release volume whose instance is terminating", () => {
    const plan = planTeardown(
      base({
        volumes: [
          vol("vol-1", "release-volume", "in-use", { attachedTo: "i-1", instanceState: "shutting-down" }),
        ],
      }),
    );
    expect(plan.refused).toBeUndefined();
    expect(plan.left.map((i) => i.reason)).toEqual(["attached to i-1"]);
  });

  it("skips a pointer that is not there", () => {
    const plan = planTeardown(base({ pointer: { bucket: "b", key: "k", exists: false } }));
    expect(plan.delete).toEqual([]);
    expect(formatPlan(plan)).toEqual(["Teardown of project shop in us-east-1:", "  nothing to remove"]);
  });

  it("formats one line per item with id and size", () => {
    const lines = formatPlan(
      planTeardown(
        base({
          volumes: [vol("vol-1", "release-volume"), vol("vol-4", "agent", "in-use", { attachedTo: "i-9" })],
        }),
      ),
    );
    expect(lines[1]).toMatch(/^ {2}delete\s+volume\s+vol-1\s+8 GiB {2}release volume \(available\)$/);
    expect(lines[2]).toMatch(
      /^ {2}left\s+volume\s+vol-4\s+8 GiB {2}agent volume \(in-use\): attached to i-9$/,
    );
  });
});
