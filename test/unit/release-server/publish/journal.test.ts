import { describe, expect, it } from "vitest";
import { advance, startJournal } from "../../../../release-server/publish/journal.js";

const t0 = new Date("2025-01-01T00:00:00Z");
const t1 = new Date("2025-01-01T00:00:05Z");

describe("publish journal transitions", () => {
  it("moves forward and records the fields of the step", () => {
    const j = advance(startJournal("/release", t0), "synced", { releaseId: "r1", treeHash: "h" }, t1);
    expect(j).toMatchObject({ step: "synced", releaseId: "r1", treeHash: "h", updatedAt: t1.toISOString() });
  });
  it("may skip steps forward (recovery adopts a snapshot)", () => {
    const j = advance(startJournal("/release", t0), "snapshot-started", { snapshotId: "snap-1" }, t1);
    expect(j.step).toBe("snapshot-started");
  });
  it("refuses to move backwards", () => {
    const j = advance(startJournal("/release", t0), "frozen", {}, t1);
    expect(() => advance(j, "synced", {}, t1)).toThrow(
      "publish journal: cannot move from frozen back to synced",
    );
  });
  it("refuses to move out of a finished publish", () => {
    const j = advance(startJournal("/release", t0), "abandoned", { reason: "x" }, t1);
    expect(() => advance(j, "synced", {}, t1)).toThrow(
      "publish journal: cannot move from abandoned to synced",
    );
  });
  it("may abandon from any unfinished step", () => {
    const j = advance(advance(startJournal("/m", t0), "pointer-published", {}, t1), "abandoned", {}, t1);
    expect(j.step).toBe("abandoned");
  });
});
