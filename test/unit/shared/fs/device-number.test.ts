import { describe, expect, it } from "vitest";
import { majorMinor } from "#shared/fs/device-number.js";

describe("majorMinor", () => {
  it.each([
    [0x0703n, "7:3"],
    [0x10301n, "259:1"],
    [(0x103n << 8n) | 0x5n, "259:5"],
    // minor numbers above 255 use the high bits of dev_t
    [(7n << 8n) | (0x1n << 20n) | 0x2n, "7:258"],
    // majors above 4095 and minors above 2^20 use bits past 32, which a 32-bit number loses
    [(0x234n << 8n) | (0x1000n << 32n) | 0x56n, "4660:86"],
    [(8n << 8n) | (0x100000n << 12n), "8:1048576"],
  ])("%s -> %s", (rdev, want) => expect(majorMinor(rdev)).toBe(want));

  // glibc's makedev, for numbers whose high parts fill every bit of the 64
  const makedev = (major: bigint, minor: bigint) =>
    ((major & 0xfffn) << 8n) | ((major & ~0xfffn) << 32n) | (minor & 0xffn) | ((minor & ~0xffn) << 12n);

  it.each([
    [0xfffffn, 0xffffffn],
    [0x12345n, 0x123456n],
    [259n, 0n],
  ])("reads back makedev(%s, %s)", (major, minor) =>
    expect(majorMinor(makedev(major, minor))).toBe(`${major}:${minor}`),
  );
});
