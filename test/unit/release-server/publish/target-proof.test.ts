// The target proof's shell snippet, run by /bin/sh against a mountinfo text and a stand-in blkid.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  EXIT_NOT_RELEASE_VOLUME,
  markerText,
  MARKER_PATH,
  NOT_RELEASE_VOLUME_MARK,
  proofScript,
  writeMarkerScript,
} from "../../../../release-server/publish/target-proof.js";

const dir = mkdtempSync(join(tmpdir(), "target-proof-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const UUID = "5e1ea5e0-0000-4000-8000-00000000f00d";
const proof = { project: "shop", uuid: UUID, label: "code_release" };

/** Runs the proof for a release path `dest` with `files` in it, blkid answering `fs` for /dev/nvme1n1. */
function prove(name: string, fs: string, files: Record<string, string>) {
  const dest = join(dir, name, "release");
  mkdirSync(join(dest, ".asg-release"), { recursive: true });
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dest, path), text);
  const bin = join(dir, name, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "blkid"), `#!/bin/sh\n[ "$4" = /dev/nvme1n1 ] && printf '%s' '${fs}'\n`);
  chmodSync(join(bin, "blkid"), 0o755);
  const mountinfo = join(dir, name, "mountinfo");
  writeFileSync(
    mountinfo,
    `22 1 259:1 / / rw - ext4 /dev/nvme0n1p1 rw\n36 22 259:5 / ${dest} ro - ext4 /dev/nvme1n1 ro\n`,
  );
  const script = `${proofScript(dest, proof).replace("/proc/self/mountinfo", mountinfo)}echo proven`;
  const r = spawnSync("/bin/sh", ["-c", script], {
    env: { PATH: `${bin}:/usr/bin:/bin` },
    encoding: "utf8",
  });
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim(), dest };
}

const ours = `DEVNAME=/dev/nvme1n1\nUUID=${UUID}\nLABEL=code_release\nTYPE=ext4\n`;

describe("the target proof", () => {
  it("passes on the release volume's filesystem with the release marker", () => {
    expect(prove("ok", ours, { [MARKER_PATH]: markerText("shop") })).toMatchObject({
      status: 0,
      stdout: "proven",
    });
  });

  it("passes on a volume made before the marker, by its manifest", () => {
    const manifest = `{\n  "releaseId": "r1",\n  "project": "shop"\n}\n`;
    expect(prove("legacy", ours, { ".asg-release/manifest.json": manifest }).status).toBe(0);
  });

  it.each([
    [
      "another filesystem",
      `UUID=0badc0de-0000-4000-8000-000000000000\nLABEL=data\n`,
      { [MARKER_PATH]: markerText("shop") },
      (d: string) =>
        `the filesystem at ${d} (/dev/nvme1n1) has UUID 0badc0de-0000-4000-8000-000000000000, not the release volume's ${UUID}`,
    ],
    [
      "no filesystem blkid knows",
      "",
      { [MARKER_PATH]: markerText("shop") },
      (d: string) => `the filesystem at ${d} (/dev/nvme1n1) has UUID none, not the release volume's ${UUID}`,
    ],
    [
      "another label",
      `UUID=${UUID}\nLABEL=backup\n`,
      { [MARKER_PATH]: markerText("shop") },
      (d: string) =>
        `the filesystem at ${d} (/dev/nvme1n1) is labelled backup, not code_release like the release volume`,
    ],
    ["no marker", ours, {}, (d: string) => `${d} holds no release marker of project shop`],
    [
      "another project's marker",
      ours,
      { [MARKER_PATH]: markerText("shopfront") },
      (d: string) => `${d} holds no release marker of project shop`,
    ],
  ])("refuses %s, saying why", (name, fs, files, why) => {
    const r = prove(name.replaceAll(" ", "-").replaceAll("'", ""), fs, files);
    expect(r.status).toBe(EXIT_NOT_RELEASE_VOLUME);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`${NOT_RELEASE_VOLUME_MARK}${why(r.dest)}`);
  });

  it("writes the marker the proof reads", () => {
    const dest = join(dir, "write", "release");
    mkdirSync(dest, { recursive: true });
    expect(spawnSync("/bin/sh", ["-c", writeMarkerScript(dest, "shop")]).status).toBe(0);
    expect(prove("write-check", ours, { [MARKER_PATH]: markerText("shop") }).status).toBe(0);
    expect(spawnSync("grep", ["-qx", "project=shop", join(dest, MARKER_PATH)]).status).toBe(0);
  });
});
