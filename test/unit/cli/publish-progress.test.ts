import { describe, expect, it } from "vitest";
import { progressReader } from "../../../cli/publish-progress.js";
import type { ProgressEvent } from "../../../release-server/publish/report.js";

const step = (s: string, status: "start" | "done" | "skip"): ProgressEvent =>
  ({ type: "step", step: s, status }) as ProgressEvent;

describe("progressReader", () => {
  it("shows the pointer step of an unchanged tree as skipped, not done", () => {
    const read = progressReader();
    // The order the pipeline sends for an unchanged tree: the jump is journaled as pointer-published.
    const actions = [
      step("synced", "start"),
      step("pointer-published", "done"),
      step("synced", "done"),
      step("frozen", "skip"),
      step("snapshot-started", "skip"),
      step("snapshot-completed", "skip"),
      step("fanned-out", "start"),
      step("fanned-out", "done"),
    ].map(read);
    expect(actions.filter((a) => a.kind === "settle")).toEqual([
      { kind: "settle", step: "pointer-published", outcome: "skip" },
      { kind: "settle", step: "synced", outcome: "done" },
      { kind: "settle", step: "snapshot-started", outcome: "skip" },
      { kind: "settle", step: "snapshot-started", outcome: "skip" },
      { kind: "settle", step: "snapshot-completed", outcome: "skip" },
      { kind: "settle", step: "fanned-out", outcome: "done" },
    ]);
  });

  it("shows a pointer actually published as done", () => {
    const read = progressReader();
    read(step("pointer-published", "start"));
    expect(read(step("pointer-published", "done"))).toEqual({
      kind: "settle",
      step: "pointer-published",
      outcome: "done",
    });
  });

  it("writes pushes under the fan-out, keeps notes and ends on the result", () => {
    const read = progressReader();
    expect(
      read({ type: "step", step: "recovered", status: "done", message: "took over the publish lock" }),
    ).toEqual({
      kind: "note",
      text: "took over the publish lock",
    });
    expect(read({ type: "push", instanceId: "i-1", status: "failed", message: "timeout" })).toEqual({
      kind: "output",
      step: "fanned-out",
      text: "i-1: failed (timeout)",
    });
    expect(
      read({
        type: "result",
        report: { result: "failed", startedAt: "", durationMs: 0, members: [], error: "boom" },
      }),
    ).toEqual({ kind: "end", error: "boom" });
  });
});
