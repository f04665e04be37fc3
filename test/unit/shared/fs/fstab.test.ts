import { describe, expect, it } from "vitest";
import { fstabMountPoint, renderFstabEntry, upsertFstabLine } from "#shared/fs/fstab.js";

const LINE = "UUID=abc /release ext4 ro,nofail 0 0";

describe("renderFstabEntry", () => {
  it("writes spec, mount point, type, options, dump and pass", () => {
    expect(
      renderFstabEntry({ spec: "UUID=abc", path: "/release", fsType: "ext4", options: ["ro", "nofail"] }),
    ).toBe(LINE);
    expect(
      renderFstabEntry({
        spec: "UUID=abc",
        path: "/release",
        fsType: "ext4",
        options: ["defaults"],
        pass: 2,
      }),
    ).toBe("UUID=abc /release ext4 defaults 0 2");
  });
  it("escapes spaces, tabs, newlines and backslashes in the mount point", () => {
    const line = renderFstabEntry({
      spec: "UUID=abc",
      path: "/srv/a b\tc\\d",
      fsType: "ext4",
      options: ["ro"],
    });
    expect(line).toBe("UUID=abc /srv/a\\040b\\011c\\134d ext4 ro 0 0");
    expect(fstabMountPoint(line)).toBe("/srv/a b\tc\\d");
  });
});

describe("fstabMountPoint", () => {
  it.each([
    ["UUID=root / ext4 defaults 0 1", "/"],
    ["  LABEL=code_release   /release/  ext3 defaults 0 0", "/release"],
    ["# UUID=x /release ext4 ro 0 0", undefined],
    ["   ", undefined],
    ["/dev/sdf", undefined],
  ])("%j names %j", (line, path) => {
    expect(fstabMountPoint(line)).toBe(path);
  });
});

describe("upsertFstabLine", () => {
  it("appends to an empty or missing file", () => {
    expect(upsertFstabLine("", "/release", LINE)).toBe(`${LINE}\n`);
  });

  it("keeps comments and other entries, and appends", () => {
    const text = "# static\nUUID=root / ext4 defaults 0 1\n";
    expect(upsertFstabLine(text, "/release", LINE)).toBe(`${text}${LINE}\n`);
  });

  it("keeps a comment naming the mount point", () => {
    expect(upsertFstabLine("# /release is ours\n", "/release", LINE)).toBe(`# /release is ours\n${LINE}\n`);
  });

  it("replaces the release model's LABEL entry for the path in place and drops duplicates", () => {
    const text = [
      "UUID=root / ext4 defaults 0 1",
      "LABEL=code_release /release ext3 defaults 0 0",
      "/dev/sdf /var ext4 defaults 0 2",
      "UUID=old /release/ ext4 ro 0 0",
    ].join("\n");
    expect(upsertFstabLine(text, "/release", LINE)).toBe(
      ["UUID=root / ext4 defaults 0 1", LINE, "/dev/sdf /var ext4 defaults 0 2", ""].join("\n"),
    );
  });

  it("keeps blank lines", () => {
    expect(upsertFstabLine("\nLABEL=code_release /release ext3 defaults 0 0\n", "/release", LINE)).toBe(
      `\n${LINE}\n`,
    );
  });

  it("is a fixed point: a second upsert changes nothing", () => {
    const once = upsertFstabLine("UUID=root / ext4 defaults 0 1\n", "/release", LINE);
    expect(upsertFstabLine(once, "/release", LINE)).toBe(once);
  });

  it("matches an escaped mount point", () => {
    const line = "UUID=abc /srv/my\\040release ext4 ro,nofail 0 0";
    expect(upsertFstabLine("UUID=x /srv/my\\040release ext4 ro 0 0\n", "/srv/my release", line)).toBe(
      `${line}\n`,
    );
  });
});
