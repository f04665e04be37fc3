import { describe, expect, it } from "vitest";
import type { TimelinePoint } from "../../../../../release-server/api/status-page/history.js";
import {
  countTicks,
  releasesOf,
  timelineSvg,
} from "../../../../../release-server/api/status-page/timeline-svg.js";

const points: TimelinePoint[] = [
  { at: "2026-01-01T10:00:00.000Z", counts: { r1: 4 } },
  { at: "2026-01-01T10:05:00.000Z", counts: { r1: 1, r2: 3 } },
  { at: "2026-01-01T10:10:00.000Z", counts: { r2: 4 } },
];
const paths = (svg: string) =>
  [...svg.matchAll(/<path class="series" data-release="([^"]*)" d="([^"]*)"/g)].map((p) => [p[1], p[2]]);

describe("timelineSvg", () => {
  it("draws one step line per release, from its first check, absent later as 0", () => {
    const svg = timelineSvg(points);
    expect(releasesOf(points)).toEqual(["r1", "r2"]);
    const [r1, r2] = paths(svg);
    expect(r1?.[0]).toBe("r1");
    expect(r2?.[0]).toBe("r2");
    // Plot area: x 52..984, y 14..214 for 4..0 members.
    expect(r1?.[1]).toBe("M52.0 14.0 H518.0 V164.0 H984.0 V214.0");
    expect(r2?.[1]).toBe("M518.0 64.0 H984.0 V14.0");
  });

  it("labels both axes, with the times of the first, middle and last check", () => {
    const svg = timelineSvg(points);
    expect(svg).toContain(">members</text>");
    expect(svg).toContain(">time (UTC)</text>");
    expect([...svg.matchAll(/class="tick x-tick"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual([
      "10:00:00",
      "10:05:00",
      "10:10:00",
    ]);
    expect([...svg.matchAll(/class="tick y-tick"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual([
      "0",
      "1",
      "2",
      "3",
      "4",
    ]);
  });

  it("shows dates when the checks span days, a lone check as a dot, and no data as a note", () => {
    const days = timelineSvg([
      { at: "2026-01-01T10:00:00.000Z", counts: { r1: 1 } },
      { at: "2026-01-03T10:00:00.000Z", counts: { r1: 1 } },
    ]);
    expect(days).toContain(">01-01 10:00</text>");
    const lone = timelineSvg([points[0] as TimelinePoint]);
    expect(paths(lone)[0]?.[1]).toBe("M518.0 14.0");
    expect(lone.match(/<circle class="check" cx="518.0" cy="14.0"/g)).toHaveLength(1);
    const empty = timelineSvg([]);
    expect(paths(empty)).toEqual([]);
    expect(empty).toContain("no member checked yet");
  });

  it("escapes release ids", () => {
    const svg = timelineSvg([{ at: "2026-01-01T10:00:00.000Z", counts: { '"><script>': 1 } }]);
    expect(svg).not.toContain("<script>");
    expect(svg).toContain('data-release="&quot;&gt;&lt;script&gt;"');
  });

  it("ticks whole numbers, about five of them", () => {
    expect(countTicks(0)).toEqual([0, 1]);
    expect(countTicks(3)).toEqual([0, 1, 2, 3]);
    expect(countTicks(12)).toEqual([0, 3, 6, 9, 12]);
    expect(countTicks(11)).toEqual([0, 3, 6, 9, 12]);
  });
});
