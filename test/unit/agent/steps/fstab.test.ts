import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ensureFstabEntry, renderEntry, upsertFstab } from "../../../../agent/steps/fstab.js";

// How the text is edited is tested with shared/fs/fstab.ts; here, the agent's entry and the file.
const entry = { spec: "UUID=abc", path: "/release", fsType: "ext4", options: ["ro", "nofail"] };
const LINE = "UUID=abc /release ext4 ro,nofail 0 0";

describe("the agent's fstab entry", () => {
  it("is never checked at boot (pass 0)", () => {
    expect(renderEntry(entry)).toBe(LINE);
  });

  it("replaces the release model's LABEL entry for the path", () => {
    expect(upsertFstab("LABEL=code_release /release ext3 defaults 0 0\n", entry)).toBe(`${LINE}\n`);
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
