// READY=1 to systemd through the real systemd-notify, received on a unix datagram socket the way
// systemd receives it (python3 listens: node has no unix datagram sockets, which is why the agent
// uses systemd-notify in the first place).
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentContext } from "../../agent/context.js";
import { notifySystemd } from "../../agent/steps/report.js";
import { silentLogger } from "#shared/log.js";
import { run, type Run } from "#shared/proc/run.js";

const LISTENER = `
import array, os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("bound", flush=True)
while True:
    data, anc, flags, addr = s.recvmsg(4096, 1024)
    # BARRIER=1 comes with a file descriptor; closing it is the answer systemd-notify waits for.
    for level, kind, fds in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            for fd in array.array("i", fds[: len(fds) - len(fds) % 4]):
                os.close(fd)
    if data != b"BARRIER=1":
        print(data.decode().replace("\\n", "|"), flush=True)
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "agent-notify-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ctxWith = (r: Run, notifySocket?: string) =>
  ({ log: silentLogger, run: r, ...(notifySocket ? { notifySocket } : {}) }) as AgentContext;

describe("notifySystemd", () => {
  it("sends READY=1 and the status text to NOTIFY_SOCKET", async () => {
    const socket = join(dir, "notify");
    const listener = spawn("python3", ["-c", LISTENER, socket], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const lines = createInterface({ input: listener.stdout })[Symbol.asyncIterator]();
      expect((await lines.next()).value).toBe("bound");
      await notifySystemd(ctxWith(run, socket), { ready: true, status: "release r1 ready" });
      expect((await lines.next()).value).toBe("READY=1|STATUS=release r1 ready");
    } finally {
      listener.kill();
    }
  });

  it("does nothing outside a Type=notify unit", async () => {
    const calls: string[][] = [];
    await notifySystemd(
      ctxWith(async (argv) => {
        calls.push([...argv]);
        return { argv, exitCode: 0, stdout: "", stderr: "" };
      }),
      { ready: true, status: "x" },
    );
    expect(calls).toEqual([]);
  });
});
