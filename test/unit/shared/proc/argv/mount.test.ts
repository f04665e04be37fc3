import { describe, expect, it } from "vitest";
import {
  findmntArgv,
  mountArgv,
  mountAt,
  normalisePath,
  parseFindmnt,
  mountinfoEscape,
  parseMountinfo,
  remountArgv,
  umountArgv,
} from "#shared/proc/argv/mount.js";

const MOUNTINFO = [
  "22 1 259:1 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p1 rw",
  "36 22 7:3 / /release ro,relatime shared:20 - ext4 /dev/loop3 ro",
  "40 22 0:45 / /srv/with\\040space rw - tmpfs tmpfs rw",
  "41 36 259:5 / /release ro,noatime - ext4 /dev/nvme1n1 ro",
].join("\n");

describe("mount argv", () => {
  it("builds mount with options and umount", () => {
    expect(mountArgv("/dev/nvme1n1", "/release", ["ro", "noatime"])).toEqual([
      "mount",
      "-o",
      "ro,noatime",
      "/dev/nvme1n1",
      "/release",
    ]);
    expect(mountArgv("/dev/x", "/r", [])).toEqual(["mount", "/dev/x", "/r"]);
    expect(umountArgv("/release")).toEqual(["umount", "/release"]);
    expect(findmntArgv("/release")).toContain("--mountpoint");
  });

  it("builds remounts read-write and read-only", () => {
    expect(remountArgv("/release", "rw")).toEqual(["mount", "-o", "remount,rw", "/release"]);
    expect(remountArgv("/release", "ro")).toEqual(["mount", "-o", "remount,ro", "/release"]);
  });

  it("escapes a path as mountinfo writes it", () => {
    expect(mountinfoEscape("/release")).toBe("/release");
    expect(mountinfoEscape("/srv/with space\\x")).toBe("/srv/with\\040space\\134x");
    expect(parseMountinfo(MOUNTINFO)[2]?.mountPoint).toBe("/srv/with space");
  });
});

describe("parseMountinfo", () => {
  const entries = parseMountinfo(MOUNTINFO);

  it("reads mount point, device numbers, type, source and options", () => {
    expect(entries[1]).toEqual({
      mountId: 36,
      majorMinor: "7:3",
      mountPoint: "/release",
      options: ["ro", "relatime"],
      fsType: "ext4",
      source: "/dev/loop3",
    });
  });

  it("unescapes octal escapes in paths", () => {
    expect(entries[2]?.mountPoint).toBe("/srv/with space");
  });

  it("mountAt returns the top-most mount at a path", () => {
    expect(mountAt(entries, "/release/")?.source).toBe("/dev/nvme1n1");
    expect(mountAt(entries, "/nothing")).toBeUndefined();
  });
});

describe("parseFindmnt", () => {
  it("reads the last filesystem listed", () => {
    const out = JSON.stringify({
      filesystems: [{ target: "/release", source: "/dev/loop3", fstype: "ext4", options: "ro,relatime" }],
    });
    expect(parseFindmnt(out)).toEqual({
      target: "/release",
      source: "/dev/loop3",
      fsType: "ext4",
      options: ["ro", "relatime"],
    });
    expect(parseFindmnt("")).toBeUndefined();
  });
});

describe("normalisePath", () => {
  it.each([
    ["/release/", "/release"],
    ["//a//b", "/a/b"],
    ["/", "/"],
  ])("%s -> %s", (input, out) => expect(normalisePath(input)).toBe(out));
});
