import { describe, expect, it } from "vitest";
import { formatStatus, type AgentStatus } from "../../../agent/state.js";

const base: AgentStatus = {
  state: "ready",
  startedAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:09.000Z",
  version: "0.1.0",
  instanceId: "i-1",
  releaseId: "r7",
  snapshotId: "snap-1",
  volumeId: "vol-1",
  device: "/dev/nvme1n1",
  mountPath: "/release",
  container: "app",
  image: "r/app:1",
  lifecycle: "CONTINUE",
  warnings: [],
  steps: [{ name: "identity", outcome: "done", durationMs: 12, detail: "i-1 in us-east-1b" }],
};

describe("formatStatus", () => {
  it("prints a headline, the facts and the steps", () => {
    expect(formatStatus(base)).toBe(
      [
        "ready: release r7",
        "  instance:     i-1",
        "  release:      r7",
        "  snapshot:     snap-1",
        "  volume:       vol-1 (/dev/nvme1n1)",
        "  mounted at:   /release",
        "  container:    app r/app:1",
        "  lifecycle:    CONTINUE",
        "  updated:      2026-01-01T00:00:09.000Z",
        "  steps:",
        "    identity   done       12 ms  i-1 in us-east-1b",
        "",
      ].join("\n"),
    );
  });

  it("leads with the failed step and its reason", () => {
    const s: AgentStatus = {
      ...base,
      state: "failed",
      step: "pointer",
      reason: "no usable release pointer",
      steps: [],
    };
    expect(formatStatus(s).split("\n")[0]).toBe("failed in step pointer: no usable release pointer");
  });
});
