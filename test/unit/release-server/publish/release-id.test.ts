import { describe, expect, it } from "vitest";
import { releaseIdOf } from "../../../../release-server/publish/release-id.js";

describe("releaseIdOf", () => {
  it("is the UTC date and time, then the first 8 hex digits of the tree hash", () => {
    expect(releaseIdOf(new Date("2025-03-14T10:15:09.123Z"), "3fa4c2d1".padEnd(64, "0"))).toBe(
      "20250314-101509-3fa4c2d1",
    );
  });
  it("sorts by time as a string", () => {
    const a = releaseIdOf(new Date("2025-03-14T09:59:59Z"), "f".repeat(64));
    const b = releaseIdOf(new Date("2025-03-14T10:00:00Z"), "0".repeat(64));
    expect(a < b).toBe(true);
  });
});
