import { describe, expect, it } from "vitest";
import { fstabLine, upsertFstab } from "../../../../release-server/init/fstab.js";

const line = fstabLine("1234-abcd", "/release", "ext4");

describe("fstab", () => {
  it("mounts by UUID with nofail", () => {
    expect(line).toBe("UUID=1234-abcd /release ext4 defaults,nofail 0 2");
  });
  it("adds the line to a file without it", () => {
    expect(upsertFstab("/dev/root / ext4 defaults 0 1\n", "/release", line)).toBe(
      `/dev/root / ext4 defaults 0 1\n${line}\n`,
    );
  });
  it("replaces the seed's LABEL line for the same mount point", () => {
    expect(upsertFstab("\nLABEL=code_release /release ext3 defaults 0 0\n", "/release", line)).toBe(
      `\n${line}\n`,
    );
  });
  it("is idempotent", () => {
    const once = upsertFstab("", "/release", line);
    expect(upsertFstab(once, "/release", line)).toBe(once);
  });
  it("keeps comments", () => {
    expect(upsertFstab("# /release is ours\n", "/release", line)).toBe(`# /release is ours\n${line}\n`);
  });
});
