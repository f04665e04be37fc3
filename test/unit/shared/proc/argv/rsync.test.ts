// shared/proc/argv/rsync.ts (tested here, beside the release server that owns it).
import { describe, expect, it } from "vitest";
import { rshString, rsyncArgv } from "#shared/proc/argv/rsync.js";

describe("rsyncArgv", () => {
  it("syncs a tree into the release volume with filters, excludes and deletion", () => {
    expect(
      rsyncArgv({
        source: "/srv/app/",
        dest: "/release/",
        delete: true,
        deleteExcluded: true,
        filters: ["P /lost+found/"],
        excludes: [".git/"],
      }),
    ).toEqual([
      "rsync",
      "-a",
      "--modify-window=-1",
      "--delete",
      "--delete-excluded",
      "--filter=P /lost+found/",
      "--exclude=.git/",
      "/srv/app/",
      "/release/",
    ]);
  });
  it("pushes over ssh with delayed updates and deletes, a timeout and a remote prefix", () => {
    expect(
      rsyncArgv({
        source: "/release/",
        dest: "root@127.1.0.5:/release/",
        delete: "delay",
        delayUpdates: true,
        ioTimeoutSeconds: 60,
        rsh: ["ssh", "-o", "UserKnownHostsFile=/var/lib/x y/known_hosts"],
        rsyncPath: "mountpoint -q /release && rsync",
      }),
    ).toEqual([
      "rsync",
      "-a",
      "--modify-window=-1",
      "--delete-delay",
      "--delay-updates",
      "--timeout=60",
      "-e",
      "ssh -o 'UserKnownHostsFile=/var/lib/x y/known_hosts'",
      "--rsync-path=mountpoint -q /release && rsync",
      "/release/",
      "root@127.1.0.5:/release/",
    ]);
  });
});

describe("rshString", () => {
  it.each([
    { rule: "plain words stay as they are", argv: ["ssh", "-p", "22"], out: "ssh -p 22" },
    { rule: "a word with a space is single-quoted", argv: ["a b"], out: "'a b'" },
    { rule: "a word with a single quote is double-quoted", argv: ["it's"], out: `"it's"` },
    { rule: "an empty word is kept", argv: ["x", ""], out: "x ''" },
  ])("$rule", ({ argv, out }) => {
    expect(rshString(argv)).toBe(out);
  });
  it("refuses a word rsync cannot pass", () => {
    expect(() => rshString([`a'b"c`])).toThrow("rsync cannot pass an argument with both quote kinds");
  });
});
