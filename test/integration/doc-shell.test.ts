// The shell a guide's blocks run in: variables and the working directory carry over, a command that
// reads stdin does not eat the next block, and the first failing command fails its block.
import { afterEach, describe, expect, it } from "vitest";
import { openDocShell, type DocShell } from "../support/doc-shell.js";

let shell: DocShell | undefined;
const open = () =>
  (shell = openDocShell(["bash", "--noprofile", "--norc"], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
  }));

afterEach(async () => {
  await shell?.close();
  shell = undefined;
});

describe("openDocShell", () => {
  it("carries variables and the directory from block to block, and returns each block's output", async () => {
    const sh = open();
    expect(await sh.run("cd /tmp\nNAME=world\necho hello")).toBe("hello");
    expect(await sh.run('echo "$NAME from $PWD"')).toBe("world from /tmp");
    expect(await sh.value("NAME")).toBe("world");
    expect(await sh.value("UNSET_HERE")).toBe("");
  });

  it("gives blocks an empty stdin, so a command reading it cannot take the next block", async () => {
    const sh = open();
    expect(await sh.run("cat; echo read-nothing")).toBe("read-nothing");
    expect(await sh.run("echo next")).toBe("next");
  });

  it("fails a block at its first failing command, with the output so far", async () => {
    const sh = open();
    const failed = sh.run("echo before\nfalse\necho after");
    await expect(failed).rejects.toThrow(/the shell ended \(exit code 1\)[\s\S]*before/);
    await expect(failed).rejects.not.toThrow(/after/);
    await expect(sh.run("echo again")).rejects.toThrow(/the shell ended/);
  });

  it("fails on an unset variable and on a failing stage of a pipeline", async () => {
    await expect(open().run('echo "$NOT_SET_ANYWHERE"')).rejects.toThrow(/unbound variable/);
    await shell?.close();
    await expect(open().run("false | cat")).rejects.toThrow(/exit code 1/);
  });
});
