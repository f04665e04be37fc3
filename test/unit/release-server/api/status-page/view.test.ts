import { describe, expect, it } from "vitest";
import { duration, esc, utc } from "../../../../../release-server/api/status-page/html.js";
import { statusView } from "../../../../../release-server/api/status-page/view.js";
import type { StatusReport } from "../../../../../release-server/api/status.js";

const empty: StatusReport = {
  project: "shop",
  current: null,
  publishing: false,
  lastPublish: null,
  checkedAt: null,
  members: [],
  stragglers: [],
  housekeeping: null,
};

describe("statusView", () => {
  it("says what there is not yet", () => {
    const html = statusView(empty);
    expect(html).toContain("no release published yet");
    expect(html).toContain("no member checked yet");
    expect(html).toContain("no publish since the server started");
    expect(html).not.toContain("<table");
  });

  it("marks a rollback, the pin and a running publish, and escapes what the fleet reports", () => {
    const html = statusView({
      ...empty,
      project: "<p>",
      current: {
        releaseId: "r3",
        snapshotId: "snap-03",
        treeHash: "3".repeat(64),
        time: "2026-01-01T00:00:00.000Z",
        sequence: 7,
        rollback: true,
      },
      publishing: true,
      pinned: {
        rolledBackTo: "r1",
        sourceTreeHash: "a",
        at: "2026-01-01T00:00:00.000Z",
        message: "pinned to <r1>",
      },
      members: [
        { instanceId: "i-1", asg: "web", releaseId: "r3", status: "straggler", reason: "<img src=x>" },
      ],
      stragglers: [],
      housekeeping: {
        at: "2026-01-01T00:00:00.000Z",
        snapshotsDeleted: [],
        volumesDeleted: [],
        hostsForgotten: [],
        failures: [{ step: "retention", item: "snap-9", error: "InvalidSnapshot.InUse" }],
      },
      publishes: [
        {
          at: "2026-01-01T00:01:00.000Z",
          result: "published",
          releaseId: "r3",
          startedAt: "2026-01-01T00:00:00.000Z",
          durationMs: 61_000,
          members: 1,
          stragglers: 1,
          steps: [{ step: "synced", status: "done", ms: 800 }],
        },
      ],
    });
    expect(html).toContain('<dd data-field="rollback"><strong class="rollback">yes</strong></dd>');
    expect(html).toContain("a publish is running");
    expect(html).toContain("pinned to &lt;r1&gt;");
    expect(html).toContain("&lt;img src=x&gt;");
    expect(html).not.toContain("<img");
    expect(html).toContain("project <code>&lt;p&gt;</code>");
    expect(html).toContain("0 of 1");
    expect(html).toContain("1 min 01 s");
    expect(html).toContain("<span>synced</span> 800 ms");
    expect(html).toContain("InvalidSnapshot.InUse");
  });
});

describe("html helpers", () => {
  it("escape, format times and durations", () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    expect(esc(undefined)).toBe("");
    expect(utc("2026-01-02T03:04:05.678Z")).toBe("2026-01-02 03:04:05");
    expect(utc("not a time")).toBe("not a time");
    expect(duration(999)).toBe("999 ms");
    expect(duration(12_340)).toBe("12.3 s");
    expect(duration(245_000)).toBe("4 min 05 s");
    expect(duration(undefined)).toBe("");
  });
});
