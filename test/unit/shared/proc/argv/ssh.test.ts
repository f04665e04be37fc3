// shared/proc/argv/ssh.ts (tested here, beside the release server that owns it).
import { describe, expect, it } from "vitest";
import { classifySshFailure, shellJoin, shellQuote, sshArgv } from "#shared/proc/argv/ssh.js";

const settings = { user: "root", identityFile: "/k/id", knownHostsFile: "/s/known_hosts" };

describe("sshArgv", () => {
  it("checks host keys against the server's own file, pinned by instance id", () => {
    expect(sshArgv(settings, "i-0abc", "127.1.0.5", "cat /release/x")).toEqual([
      "ssh",
      "-F",
      "none",
      "-i",
      "/k/id",
      "-p",
      "22",
      "-l",
      "root",
      "-o",
      "IdentitiesOnly=yes",
      "-o",
      "BatchMode=yes",
      "-o",
      "StrictHostKeyChecking=accept-new",
      "-o",
      "UserKnownHostsFile=/s/known_hosts",
      "-o",
      "GlobalKnownHostsFile=/dev/null",
      "-o",
      "HostKeyAlias=i-0abc",
      "-o",
      "ConnectTimeout=10",
      "-o",
      "ServerAliveInterval=15",
      "-o",
      "ServerAliveCountMax=3",
      "-o",
      "LogLevel=ERROR",
      "127.1.0.5",
      "--",
      "cat /release/x",
    ]);
  });

  it("shares one connection per instance when given a control directory", () => {
    const argv = sshArgv({ ...settings, controlDir: "/s/ssh" }, "i-0abc", "127.1.0.5", "true");
    expect(argv.join(" ")).toContain(
      "-o ControlMaster=auto -o ControlPath=/s/ssh/i-0abc -o ControlPersist=60s 127.1.0.5 -- true",
    );
  });
});

describe("shellQuote", () => {
  it.each([
    ["/release/.asg-release/manifest.json", "/release/.asg-release/manifest.json"],
    ["a b", "'a b'"],
    ["it's", `'it'\\''s'`],
    ["", "''"],
    ["$(rm -rf /)", "'$(rm -rf /)'"],
  ])("quotes %s as %s", (word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });
  it("joins words", () => {
    expect(shellJoin(["cat", "a b"])).toBe("cat 'a b'");
  });
});

describe("classifySshFailure", () => {
  it.each([
    {
      rule: "a changed host key is a mismatch, never a reason to connect",
      stderr:
        "@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n@@@@@@@@@@@\nHost key verification failed.\n",
      kind: "host-key-mismatch",
    },
    {
      rule: "a refused connection is unreachable",
      stderr: "ssh: connect to host 127.1.0.5 port 22: Connection refused\n",
      kind: "unreachable",
    },
    {
      rule: "a timeout is unreachable",
      stderr: "ssh: connect to host 127.1.0.5 port 22: Connection timed out\n",
      kind: "unreachable",
    },
    {
      rule: "a refused key is an auth failure",
      stderr: "root@127.1.0.5: Permission denied (publickey).\n",
      kind: "auth",
    },
  ])("$rule", ({ stderr, kind }) => {
    expect(classifySshFailure(stderr).kind).toBe(kind);
  });
  it("keeps the first meaningful line as the message", () => {
    expect(classifySshFailure("ssh: connect to host h port 22: Connection refused\n").message).toBe(
      "ssh: connect to host h port 22: Connection refused",
    );
  });
});
