import { describe, expect, it } from "vitest";
import { fstabLine } from "../../../../release-server/init/fstab.js";

// How the line is put into /etc/fstab is tested with shared/fs/fstab.ts.
describe("the release host's fstab line", () => {
  it("mounts by UUID with nodev, nosuid and nofail, checked after the root filesystem", () => {
    expect(fstabLine("1234-abcd", "/release", "ext4")).toBe(
      "UUID=1234-abcd /release ext4 defaults,nodev,nosuid,nofail 0 2",
    );
  });
  it("keeps the filesystem type found on the volume (the release model's ext3)", () => {
    expect(fstabLine("1234-abcd", "/release", "ext3")).toBe(
      "UUID=1234-abcd /release ext3 defaults,nodev,nosuid,nofail 0 2",
    );
  });
});
