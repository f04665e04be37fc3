import { describe, expect, it } from "vitest";
import { blkidArgv, parseBlkidExport } from "#shared/proc/argv/blkid.js";

describe("blkid", () => {
  it("asks for KEY=value output", () => {
    expect(blkidArgv("/dev/loop3")).toEqual(["blkid", "-o", "export", "/dev/loop3"]);
  });

  it("reads UUID, TYPE and LABEL", () => {
    const out = "DEVNAME=/dev/loop3\nLABEL=code_release\nUUID=5b9e-11\nBLOCK_SIZE=4096\nTYPE=ext4\n";
    expect(parseBlkidExport(out)).toEqual({ uuid: "5b9e-11", type: "ext4", label: "code_release" });
  });

  it("returns nothing for an empty device", () => {
    expect(parseBlkidExport("")).toEqual({});
  });
});
