import { describe, expect, it } from "vitest";
import { majorMinor } from "../../../../agent/steps/device.js";

describe("majorMinor", () => {
  it.each([
    [0x0703n, "7:3"],
    [0x10301n, "259:1"],
    [(0x103n << 8n) | 0x5n, "259:5"],
    // minor numbers above 255 use the high bits of dev_t
    [(7n << 8n) | (0x1n << 20n) | 0x2n, "7:258"],
  ])("%s -> %s", (rdev, want) => expect(majorMinor(rdev)).toBe(want));
});
