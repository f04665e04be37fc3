// The release path end to end in the local region: the release server (init, then the daemon) on a
// release host, an Auto Scaling group of full instances booted by the agent from its pointer.
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from "vitest";
import type { StatusReport } from "../../release-server/api/status.js";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describeGroup, groupInstances, hostOf, scaleGroup, waitUntil } from "../support/e2e/fleet.js";
import { runInit } from "../support/e2e/server-process.js";
import { served, startStack, type Stack } from "../support/e2e/stack.js";

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
    // Longer than the test runs: a member that refuses ssh is reported after a few failed attempts
    // (fanout.unreachable_attempts), not at this deadline, then retried by the scheduled reconcile.
    reconcileDeadlineSeconds: 600,
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe("the release path", () => {
  beforeEach(() => {
    onTestFailed(async () => {
      process.stderr.write(`${await describeGroup(stack.fleet, stack.group)}\n`);
      process.stderr.write(`${JSON.stringify(await status(), null, 1)}\n`);
      const log = await readFile(join(stack.fleet.dir, "server.log"), "utf8").catch(() => "");
      process.stderr.write(`${log.slice(-6000)}\n`);
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
    // The status page's history: the publish with its step timings, members per release.
    const published = s.publishes?.find((p) => p.releaseId === s.current?.releaseId);
    expect(published?.steps.find((t) => t.step === "synced")).toMatchObject({ status: "done" });
    expect(s.timeline?.some((p) => p.counts[s.current?.releaseId ?? ""] === 2)).toBe(true);
    const page = await (await fetch(`${stack.apiUrl}/v1/status/page`)).text();
    for (const m of s.members) expect(page).toContain(`data-instance="${m.instanceId}"`);
  });

  it("boots a new instance with the current release", async () => {
    await scaleGroup(stack.fleet, stack.group, 3);
    expect(await everyMemberServes("release 2\n")).toHaveLength(3);
  });

  it("reports a member that refuses ssh as a straggler, and catches it up when it returns", async () => {
    const [first] = await members();
    const host = await hostOf(stack.fleet, first!.instanceId);
    // The listener and its connections (the server keeps one open per instance) go: sshd is down.
    await host.sh("P=$(cat /run/sshd.pid); kill $(cat /proc/$P/task/*/children) $P");
    const before = (await status()).current?.releaseId;
    await writeFile(join(stack.source, "www", "index.html"), "release 3\n");
    // The publish of the change itself ends with the member as a straggler, with its reason.
    const report = await waitUntil(
      "the publish of release 3",
      async () => {
        const last = (await status()).lastPublish;
        return last && last.releaseId !== before ? last : undefined;
      },
      120_000,
    );
    expect(report.result).toBe("published");
    expect(report.members.filter((m) => m.status === "straggler")).toEqual([
      expect.objectContaining({
        instanceId: host.instanceId,
        reason: expect.stringMatching(/^unreachable: ssh: connect to host .* Connection refused/),
      }),
    ]);
    expect(report.members.filter((m) => m.status === "converged")).toHaveLength(2);
    expect(await served(host)).toBe("release 2\n");
    expect(await (await fetch(`${stack.apiUrl}/metrics`)).text()).toContain("asg_release_stragglers 1\n");

    const sshdConfig = join(stack.fleet.sim.stateDir, "hosts", host.instanceId, "ssh", "sshd_config");
    await host.sh(`/usr/sbin/sshd -f ${sshdConfig}`);
    await everyMemberServes("release 3\n");
    await waitUntil("no stragglers", async () =>
      (await status()).stragglers.length === 0 ? true : undefined,
    );
  });

  it("never writes to a member whose release path holds another filesystem, and reports why", async () => {
    const [first] = await members();
    const host = await hostOf(stack.fleet, first!.instanceId);
    await host.sh("mount -t tmpfs -o size=1m tmpfs /release && echo mine > /release/keep.txt");
    const before = (await status()).current?.releaseId;
    await writeFile(join(stack.source, "www", "index.html"), "release 4\n");
    const report = await waitUntil(
      "the publish of release 4",
      async () => {
        const last = (await status()).lastPublish;
        return last && last.releaseId !== before ? last : undefined;
      },
      120_000,
    );
    expect(report.result).toBe("published");
    expect(report.members.filter((m) => m.status === "straggler")).toEqual([
      expect.objectContaining({
        instanceId: host.instanceId,
        reason: expect.stringMatching(
          /^not the release volume: the filesystem at \/release \(tmpfs\) has UUID none, not the release volume's [0-9a-f-]{36}$/,
        ),
      }),
    ]);
    expect(await host.sh("ls -A /release; cat /release/keep.txt")).toBe("keep.txt\nmine");
    // Once the release volume is what /release shows again, the scheduled reconcile catches it up.
    await host.sh("umount /release");
    await everyMemberServes("release 4\n");
  });

  it("init on a set-up release host changes nothing", async () => {
    const again = await runInit(stack.fleet, stack.releaseHost, stack.paths);
    expect(again.exitCode).toBe(0);
    expect(again.output).toContain("is attached to this host already");
    expect(again.output).toContain("holds the release filesystem already");
    expect(again.output).toContain("/release is mounted already");
    expect(again.output).not.toContain("persisted the mount");
    expect(again.output).toMatch(
      /kept the pointer signing key \S+ \(key [0-9a-f]{16}\); agents' pointer\.public_key: \S{44}/,
    );
    expect(await stack.releaseHost.sh("grep -c ' /release ' /etc/fstab")).toBe("1");
  });
});
