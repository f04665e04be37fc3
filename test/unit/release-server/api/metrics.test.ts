import { describe, expect, it } from "vitest";
import { Metrics } from "../../../../release-server/api/metrics.js";

describe("Metrics", () => {
  it("counts housekeeping failures by step, and when it last ran", () => {
    const m = new Metrics();
    expect(m.render()).toContain('asg_release_housekeeping_failures_total{step="retention"} 0\n');
    m.recordHousekeeping(["retention", "retention", "sweep"], new Date("2026-01-01T00:00:10.000Z"));
    m.recordHousekeeping([], new Date("2026-01-01T00:15:10.000Z"));
    const text = m.render();
    expect(text).toContain('asg_release_housekeeping_failures_total{step="retention"} 2\n');
    expect(text).toContain('asg_release_housekeeping_failures_total{step="sweep"} 1\n');
    expect(text).toContain('asg_release_housekeeping_failures_total{step="known-hosts"} 0\n');
    expect(text).toContain(`asg_release_housekeeping_last_run_timestamp_seconds ${1767226510}\n`);
  });
});
