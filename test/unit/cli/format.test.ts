import { describe, expect, it } from "vitest";
import { membersTable, publishSummary, statusText, table } from "../../../cli/format.js";
import type { PublishReport } from "../../../release-server/publish/report.js";

const report: PublishReport = {
  result: "published",
  releaseId: "r2",
  snapshotId: "snap-0a",
  startedAt: "2025-01-01T00:00:00.000Z",
  durationMs: 12_340,
  members: [
    { instanceId: "i-01", asg: "web", privateIp: "127.1.0.1", releaseId: "r2", status: "converged" },
    {
      instanceId: "i-02",
      asg: "web",
      privateIp: "127.1.0.2",
      status: "straggler",
      reason: "unreachable: Connection refused",
    },
  ],
};

describe("CLI text", () => {
  it("aligns table columns and leaves no trailing spaces", () => {
    expect(
      table(
        ["A", "BB"],
        [
          ["xxx", "y"],
          ["z", ""],
        ],
      ),
    ).toBe("A    BB\nxxx  y\nz");
  });
  it("prints one row per member with its release, status and reason", () => {
    expect(membersTable(report.members)).toBe(
      [
        "INSTANCE  ASG  ADDRESS    RELEASE  STATUS     REASON",
        "i-01      web  127.1.0.1  r2       converged",
        "i-02      web  127.1.0.2  -        straggler  unreachable: Connection refused",
      ].join("\n"),
    );
  });
  it("summarises a publish with its stragglers", () => {
    expect(publishSummary(report)).toBe(
      "published release r2 (snapshot snap-0a) in 12.3 s; 1 of 2 member(s) on it, 1 straggler(s) retried on the next cycle",
    );
  });
  it("says an unchanged tree had nothing to publish", () => {
    expect(publishSummary({ ...report, result: "unchanged", members: [] })).toBe(
      "nothing to publish: the tree is release r2, checked in 12.3 s; 0 member(s) on it",
    );
  });
  it("summarises a failed publish with its error", () => {
    expect(publishSummary({ ...report, result: "failed", error: "CreateSnapshot: throttled" })).toBe(
      "publish failed after 12.3 s: CreateSnapshot: throttled",
    );
  });
  it("says when no release exists yet", () => {
    expect(
      statusText({
        project: "shop",
        current: null,
        publishing: false,
        lastPublish: null,
        checkedAt: null,
        members: [],
        stragglers: [],
        housekeeping: null,
      }),
    ).toBe("project shop\nno release published yet\nmembers not checked yet\n");
  });
  it("lists what the last housekeeping run could not clean up", () => {
    expect(
      statusText({
        project: "shop",
        current: null,
        publishing: false,
        lastPublish: null,
        checkedAt: null,
        members: [],
        stragglers: [],
        housekeeping: {
          at: "2026-01-02T03:04:05.000Z",
          snapshotsDeleted: ["snap-1"],
          volumesDeleted: [],
          hostsForgotten: [],
          failures: [{ step: "retention", item: "snap-2", error: "DeleteSnapshot: in use by ami-1" }],
        },
      }),
    ).toContain(
      "housekeeping retention snap-2 failed at 2026-01-02T03:04:05.000Z: DeleteSnapshot: in use by ami-1\n",
    );
  });
  it("says when a rollback pins the fleet", () => {
    const text = statusText({
      project: "shop",
      current: {
        releaseId: "20260102-030405-aaaaaaaa",
        snapshotId: "snap-0b",
        treeHash: "a".repeat(64),
        time: "2026-01-02T03:04:05.000Z",
        sequence: 3,
        rollback: true,
      },
      publishing: false,
      lastPublish: null,
      checkedAt: null,
      members: [],
      stragglers: [],
      housekeeping: null,
      pinned: {
        rolledBackTo: "20260101-000000-aaaaaaaa",
        releaseId: "20260102-030405-aaaaaaaa",
        sourceTreeHash: "b".repeat(64),
        at: "2026-01-02T03:04:05.000Z",
        message: "the fleet is pinned to the rolled-back release 20260101-000000-aaaaaaaa",
      },
    });
    expect(text).toContain("made 2026-01-02T03:04:05.000Z (a rollback)\n");
    expect(text).toContain(
      "pinned since 2026-01-02T03:04:05.000Z: the fleet is pinned to the rolled-back release 20260101-000000-aaaaaaaa\n",
    );
  });
});
