import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  EXIT_NOT_MOUNTED,
  prepareWriteArgv,
  readOnlyTest,
  REMOUNTED_RW_MARK,
  restoreReadOnlyArgv,
  type RemoteSettings,
} from "../../../../release-server/publish/remote.js";

const target = { instanceId: "i-0123456789abcdef0", privateIp: "127.1.0.5" };
const settings = (requireMount: boolean): RemoteSettings => ({
  ssh: { user: "root", identityFile: "/k", knownHostsFile: "/kh" },
  dest: "/release",
  requireMount,
  ioTimeoutSeconds: 30,
});
/** The remote command: the word after `--`. */
const remoteCommand = (argv: string[]): string => argv[argv.indexOf("--") + 1] ?? "";

/** Runs readOnlyTest against a mountinfo text (the path swapped for a file holding it). */
function isReadOnly(dest: string, mountinfo: string): boolean {
  const script = readOnlyTest(dest).replace("/proc/self/mountinfo", "/dev/stdin");
  return spawnSync("/bin/sh", ["-c", script], { input: mountinfo }).status === 0;
}

const MOUNTINFO = [
  "22 1 259:1 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p1 rw",
  "36 22 259:5 / /release ro,noatime shared:20 - ext4 /dev/nvme1n1 ro",
  "40 22 0:45 / /srv/with\\040space rw,nosuid - tmpfs tmpfs rw",
  "41 22 0:46 / /srv/rofs rw,relatime - ext4 /dev/x ro",
].join("\n");

describe("readOnlyTest", () => {
  it("is true for a read-only mount, false for a read-write one or none", () => {
    expect(isReadOnly("/release", MOUNTINFO)).toBe(true);
    expect(isReadOnly("/release/", MOUNTINFO)).toBe(true);
    expect(isReadOnly("/", MOUNTINFO)).toBe(false);
    expect(isReadOnly("/srv/with space", MOUNTINFO)).toBe(false);
    expect(isReadOnly("/srv/rofs", MOUNTINFO)).toBe(false);
    expect(isReadOnly("/nowhere", MOUNTINFO)).toBe(false);
  });

  it("looks at the last mount at the path, which covers the earlier ones", () => {
    const remounted = `${MOUNTINFO}\n50 36 259:5 / /release rw,noatime - ext4 /dev/nvme1n1 rw`;
    expect(isReadOnly("/release", remounted)).toBe(false);
    expect(
      isReadOnly("/srv/with space", `${MOUNTINFO}\n51 40 0:47 / /srv/with\\040space ro - tmpfs t ro`),
    ).toBe(true);
  });
});

describe("prepareWriteArgv", () => {
  it("checks the mount, then remounts read-write only a read-only mount, and says so", () => {
    const argv = prepareWriteArgv(target, settings(true));
    expect(argv.slice(0, 3)).toEqual(["ssh", "-F", "none"]);
    expect(argv).toContain("HostKeyAlias=i-0123456789abcdef0");
    expect(argv.at(-3)).toBe("127.1.0.5");
    const cmd = remoteCommand(argv);
    expect(cmd).toContain(`exit ${EXIT_NOT_MOUNTED}`);
    expect(cmd.indexOf(`exit ${EXIT_NOT_MOUNTED}`)).toBeLessThan(cmd.indexOf("remount"));
    expect(cmd).toContain(
      `if ${readOnlyTest("/release")}; then mount -o remount,rw /release && echo '${REMOUNTED_RW_MARK}'; fi`,
    );
  });

  it("skips the mount check when the mount is not required", () => {
    const cmd = remoteCommand(prepareWriteArgv(target, settings(false)));
    expect(cmd).not.toContain(`exit ${EXIT_NOT_MOUNTED}`);
    expect(cmd.startsWith("if ")).toBe(true);
  });

  it("runs as a shell script: remounts when read-only, prints nothing when read-write", () => {
    const cmd = remoteCommand(prepareWriteArgv(target, settings(false)))
      .replace("/proc/self/mountinfo", "/dev/stdin")
      .replace("mount -o", "echo mount -o");
    const ro = spawnSync("/bin/sh", ["-c", cmd], { input: MOUNTINFO, encoding: "utf8" });
    expect(ro.stdout).toBe(`mount -o remount,rw /release\n${REMOUNTED_RW_MARK}\n`);
    const rw = spawnSync("/bin/sh", ["-c", cmd], {
      input: MOUNTINFO.replace("ro,noatime", "rw,noatime"),
      encoding: "utf8",
    });
    expect(rw.status).toBe(0);
    expect(rw.stdout).toBe("");
  });
});

describe("restoreReadOnlyArgv", () => {
  it("remounts the release read-only over the same ssh settings", () => {
    const argv = restoreReadOnlyArgv(target, settings(true));
    expect(remoteCommand(argv)).toBe("mount -o remount,ro /release");
    expect(argv.slice(0, -3)).toEqual(prepareWriteArgv(target, settings(true)).slice(0, -3));
  });
});
