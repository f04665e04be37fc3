import { describe, expect, it } from "vitest";
import { ebsByIdName, findEbsDevice, lsblkArgv, parseLsblk, xenNames } from "#shared/proc/argv/lsblk.js";

const NITRO = JSON.stringify({
  blockdevices: [
    {
      name: "nvme0n1",
      serial: "vol0aaaaaaaaaaaaaaaa",
      type: "disk",
      children: [{ name: "nvme0n1p1", serial: null, type: "part" }],
    },
    { name: "nvme1n1", serial: "vol0123456789abcdef0 ", type: "disk" },
  ],
});
const XEN = JSON.stringify({
  blockdevices: [
    { name: "xvda", serial: null, type: "disk" },
    { name: "xvdf", serial: null, type: "disk" },
  ],
});

describe("lsblk", () => {
  it("asks for names, serials and types as JSON", () => {
    expect(lsblkArgv()).toEqual(["lsblk", "--json", "--output", "NAME,SERIAL,TYPE"]);
  });

  it("parses nested devices and null serials", () => {
    const devices = parseLsblk(NITRO);
    expect(devices[0]?.children[0]).toEqual({ name: "nvme0n1p1", serial: "", type: "part", children: [] });
    expect(devices[1]?.serial).toBe("vol0123456789abcdef0");
  });
});

describe("findEbsDevice", () => {
  const cases: [string, string, string, string | undefined, string | undefined][] = [
    [
      "matches the NVMe serial (volume id without dash)",
      NITRO,
      "vol-0123456789abcdef0",
      "/dev/sdf",
      "nvme1n1",
    ],
    [
      "ignores the attachment name when a serial matches",
      NITRO,
      "vol-0aaaaaaaaaaaaaaaa",
      "/dev/sdf",
      "nvme0n1",
    ],
    ["finds nothing on Nitro for an unknown volume", NITRO, "vol-0fff", "/dev/sdf", undefined],
    ["falls back to the Xen name xvdX for sdX", XEN, "vol-0123", "/dev/sdf", "xvdf"],
    ["accepts an xvd attachment name", XEN, "vol-0123", "/dev/xvdf", "xvdf"],
    ["has no fallback without an attachment name", XEN, "vol-0123", undefined, undefined],
    ["does not take a disk that is not the attachment's", XEN, "vol-0123", "/dev/sdg", undefined],
  ];
  it.each(cases)("%s", (_name, out, volumeId, attachment, want) => {
    expect(findEbsDevice(parseLsblk(out), volumeId, attachment)).toBe(want);
  });
});

describe("EBS names", () => {
  it("by-id link name", () => {
    expect(ebsByIdName("vol-0123456789abcdef0")).toBe("nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0");
  });
  it.each([
    ["/dev/sdf", ["xvdf", "sdf"]],
    ["/dev/xvdg", ["xvdg", "sdg"]],
    ["/dev/nvme1n1", ["nvme1n1"]],
  ])("xenNames(%s)", (device, names) => expect(xenNames(device)).toEqual(names));
});
