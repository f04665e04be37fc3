import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ensureFstabEntry, renderEntry, upsertFstab } from "../../../../agent/steps/fstab.js";

const entry = { spec: "UUID=abc", path: "/release", fsType: "ext4", options: ["ro", "nofail"] };
const LINE = "UUID=abc /release ext4 ro,nofail 0 0";

describe("upsertFstab", () => {
  it("appends to an empty or missing file", () => {
    expect(upsertFstab("", entry)).toBe(`${LINE}\n`);
  });

  it("keeps comments and other entries, and appends", () => {
    const text = "# static\nUUID=root / ext4 defaults 0 1\n";
    expect(upsertFstab(text, entry)).toBe(`${text}${LINE}\n`);
  });

  it("replaces the seed's LABEL entry for the path in place and drops duplicates", () => {
    const text = [
      "UUID=root / ext4 defaults 0 1",
      "LABEL=code_release /release ext3 defaults 0 0",
      "/dev/sdf /var ext4 defaults 0 2",
      "UUID=old /release/ ext4 ro 0 0",
    ].join("\n");
    expect(upsertFstab(text, entry)).toBe(
      ["UUID=root / ext4 defaults 0 1", LINE, "/dev/sdf /var ext4 defaults 0 2", ""].join("\n"),
    );
  });

  it("is a fixed point: a second upsert changes nothing", () => {
    const once = upsertFstab("UUID=root / ext4 defaults 0 1\n", entry);
    expect(upsertFstab(once, entry)).toBe(once);
  });

  it("escapes spaces in the mount point", () => {
    expect(renderEntry({ ...entry, path: "/srv/my release" })).toBe(
      "UUID=abc /srv/my\\040release ext4 ro,nofail 0 0",
    );
    expect(
      upsertFstab("UUID=x /srv/my\\040release ext4 ro 0 0\n", { ...entry, path: "/srv/my release" }),
    ).toBe("UUID=abc /srv/my\\040release ext4 ro,nofail 0 0\n");
  });
});

describe("ensureFstabEntry", () => {
  it("writes once and then reports no change", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fstab-"));
    try {
      const file = join(dir, "fstab");
      await writeFile(file, "UUID=root / ext4 defaults 0 1\n");
      expect(await ensureFstabEntry(file, entry)).toBe(true);
      expect(await ensureFstabEntry(file, entry)).toBe(false);
      expect(await readFile(file, "utf8")).toBe(`UUID=root / ext4 defaults 0 1\n${LINE}\n`);
      expect(await ensureFstabEntry(join(dir, "new"), entry)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
