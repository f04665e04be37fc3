// The release path end to end in the local region: the release server (init, then the daemon) on a
// release host, an Auto Scaling group of full instances booted by the agent from its pointer.
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from "vitest";
import type { StatusReport } from "../../release-server/api/status.js";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describeGroup, groupInstances, hostOf, scaleGroup, waitUntil } from "./helpers/fleet.js";
import { served, startStack, type Stack } from "./helpers/stack.js";

let stack: Stack;

const members = async () =>
  (await groupInstances(stack.fleet, stack.group)).filter((m) => m.state === "InService");
const status = async () => (await (await fetch(`${stack.apiUrl}/v1/status`)).json()) as StatusReport;

/** Waits until every InService member serves `text`. */
async function everyMemberServes(text: string, maxWaitMs = 120_000): Promise<string[]> {
  return waitUntil(
    `every member serving ${JSON.stringify(text)}`,
    async () => {
      const ms = await members();
      const bodies = await Promise.all(ms.map(async (m) => served(await hostOf(stack.fleet, m.instanceId))));
      return bodies.length > 0 && bodies.every((b) => b === text) ? ms.map((m) => m.instanceId) : undefined;
    },
    maxWaitMs,
  );
}

beforeAll(async () => {
  stack = await startStack({
    prefix: "e2e-publish",
    group: "web",
    size: 2,
    serverArgs: ["--reconcile-every", "5"],
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe("the release path", () => {
  beforeEach(() => {
    onTestFailed(async () => {
      process.stderr.write(`${await describeGroup(stack.fleet, stack.group)}\n`);
    });
  });

  it("boots every member with the first release", async () => {
    expect(await everyMemberServes("release 1\n")).toHaveLength(2);
  });

  it("pushes a change of the watched tree to every member", async () => {
    await writeFile(join(stack.source, "www", "index.html"), "release 2\n");
    await everyMemberServes("release 2\n");
    const s = await waitUntil("status showing the members converged", async () => {
      const st = await status();
      return st.members.length === 2 && st.members.every((m) => m.releaseId === st.current?.releaseId)
        ? st
        : undefined;
    });
    expect(s.stragglers).toEqual([]);
  });

  it("boots a new instance with the current release", async () => {
    await scaleGroup(stack.fleet, stack.group, 3);
    expect(await everyMemberServes("release 2\n")).toHaveLength(3);
  });

  it("reports a member that refuses ssh as a straggler, and catches it up when it returns", async () => {
    const [first] = await members();
    const host = await hostOf(stack.fleet, first!.instanceId);
    await host.sh("kill $(cat /run/sshd.pid)");
    await writeFile(join(stack.source, "www", "index.html"), "release 3\n");
    const st = await waitUntil(
      "a publish with a straggler",
      async () => {
        const s = await status();
        return s.lastPublish?.releaseId !== s.current?.releaseId || s.stragglers.length === 0 ? undefined : s;
      },
      120_000,
    );
    expect(st.stragglers).toEqual([
      expect.objectContaining({
        instanceId: host.instanceId,
        status: "straggler",
        reason: expect.stringMatching(/^unreachable: ssh: connect to host .* Connection refused/),
      }),
    ]);
    expect(await served(host)).toBe("release 2\n");
    expect(await (await fetch(`${stack.apiUrl}/metrics`)).text()).toContain("asg_release_stragglers 1\n");

    const sshdConfig = join(stack.fleet.sim.stateDir, "hosts", host.instanceId, "ssh", "sshd_config");
    await host.sh(`/usr/sbin/sshd -f ${sshdConfig}`);
    await everyMemberServes("release 3\n");
    await waitUntil("no stragglers", async () =>
      (await status()).stragglers.length === 0 ? true : undefined,
    );
  });
});
