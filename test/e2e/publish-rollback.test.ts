// A release rollback end to end: the release server (init, then the daemon) on a release host, an
// Auto Scaling group booted by the agent. `asg-release publish --rollback-to` puts the first release
// back on every member through a temporary volume the daemon attaches and mounts on its host; a
// restarted daemon stays on it (its start-up publish is held back by the pin) until the watched
// tree changes, which publishes forward.
import { DescribeVolumesCommand } from "@aws-sdk/client-ec2";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from "vitest";
import type { StatusReport } from "../../release-server/api/status.js";
import type { PublishReport } from "../../release-server/publish/report.js";
import { run } from "#shared/proc/run.js";
import type { ReleasePointer } from "#shared/release/pointer.js";
import { PROJECT_TAG, ROLE_ROLLBACK_SOURCE, ROLE_TAG } from "#shared/release/tags.js";
import { describeGroup, groupInstances, hostOf, waitUntil } from "../support/e2e/fleet.js";
import { served, startStack, type Stack } from "../support/e2e/stack.js";

let stack: Stack;

const status = async () => (await (await fetch(`${stack.apiUrl}/v1/status`)).json()) as StatusReport;
const cli = (args: string[]) =>
  run(
    [
      process.execPath,
      "bin/asg-release.js",
      ...args,
      "--server",
      stack.apiUrl,
      "--token-file",
      stack.tokenFile,
    ],
    {
      okExitCodes: [0, 1],
    },
  );

/** Waits until every InService member serves `text`. */
async function everyMemberServes(text: string): Promise<void> {
  await waitUntil(
    `every member serving ${JSON.stringify(text)}`,
    async () => {
      const ms = (await groupInstances(stack.fleet, stack.group)).filter((m) => m.state === "InService");
      const bodies = await Promise.all(ms.map(async (m) => served(await hostOf(stack.fleet, m.instanceId))));
      return bodies.length > 0 && bodies.every((b) => b === text) ? true : undefined;
    },
    120_000,
  );
}

async function currentAfter(previous: string | undefined): Promise<ReleasePointer> {
  return waitUntil("a new release", async () => {
    const c = (await status()).current;
    return c && c.releaseId !== previous ? c : undefined;
  });
}

beforeAll(async () => {
  stack = await startStack({ prefix: "e2e-rollback", group: "web", size: 2, reconcileDeadlineSeconds: 60 });
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(() => {
  onTestFailed(async () => {
    process.stderr.write(`${await describeGroup(stack.fleet, stack.group)}\n`);
    process.stderr.write(
      `${(await readFile(join(stack.fleet.dir, "server.log"), "utf8").catch(() => "")).slice(-6000)}\n`,
    );
  });
});

describe("asg-release publish --rollback-to", () => {
  let first: ReleasePointer;
  let second: ReleasePointer;
  let rollback: ReleasePointer;

  it("rolls the fleet back to the first release, as a signed rollback with the next sequence", async () => {
    await everyMemberServes("release 1\n");
    first = (await status()).current!;
    await writeFile(join(stack.source, "www", "index.html"), "release 2\n");
    second = await currentAfter(first.releaseId);
    await everyMemberServes("release 2\n");

    const out = await cli(["publish", "--rollback-to", first.releaseId, "--json"]);
    expect(out.exitCode, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout) as PublishReport;
    expect(report).toMatchObject({ result: "published", treeHash: first.treeHash });
    await everyMemberServes("release 1\n");
    rollback = (await status()).current!;
    expect(rollback).toMatchObject({ releaseId: report.releaseId, treeHash: first.treeHash, rollback: true });
    expect(rollback.sequence).toBeGreaterThan(second.sequence!);
    expect(rollback.signature).toBeDefined();
  });

  it("leaves no temporary volume behind", async () => {
    const out = await stack.fleet.aws.ec2.send(
      new DescribeVolumesCommand({
        Filters: [
          { Name: `tag:${ROLE_TAG}`, Values: [ROLE_ROLLBACK_SOURCE] },
          { Name: `tag:${PROJECT_TAG}`, Values: [stack.project] },
        ],
      }),
    );
    expect((out.Volumes ?? []).filter((v) => v.State !== "deleted" && v.State !== "deleting")).toEqual([]);
  });

  it("says the fleet is pinned, in /v1/status and asg-release status", async () => {
    const s = await status();
    expect(s.pinned).toMatchObject({ rolledBackTo: first.releaseId, releaseId: rollback.releaseId });
    const text = (await cli(["status"])).stdout;
    expect(text).toContain("(a rollback)");
    expect(text).toContain(`pinned to the rolled-back release ${first.releaseId}`);
  });

  it("keeps the fleet on it across a daemon restart", async () => {
    await stack.server.stop();
    const restarted = await stack.restartServer();
    await waitUntil("the start-up publish held back by the pin", async () =>
      restarted.lines.some((l) => String(l.msg).includes("pinned to the rolled-back release"))
        ? true
        : undefined,
    );
    expect((await status()).current?.releaseId).toBe(rollback.releaseId);
    await everyMemberServes("release 1\n");
  });

  it("publishes forward once the watched tree changes, and the pin ends", async () => {
    await writeFile(join(stack.source, "www", "index.html"), "release 3\n");
    const forward = await currentAfter(rollback.releaseId);
    expect(forward.rollback).toBeUndefined();
    expect(forward.sequence).toBeGreaterThan(rollback.sequence!);
    await everyMemberServes("release 3\n");
    await waitUntil("the pin gone", async () => ((await status()).pinned === null ? true : undefined));
  });

  it("refuses a release without a snapshot, exit 1, with a clear error", async () => {
    const out = await cli(["publish", "--rollback-to", "20200101-000000-deadbeef", "--json"]);
    expect(out.exitCode).toBe(1);
    expect((JSON.parse(out.stdout) as PublishReport).error).toContain(
      "cannot roll back to 20200101-000000-deadbeef: project shop has no release snapshot with that release id",
    );
  });
});
