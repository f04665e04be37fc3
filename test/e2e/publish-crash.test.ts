// kill -9 of the release server at each step of a publish, then a restart: the publish is completed
// or abandoned cleanly, the pointer only ever names a completed release snapshot, the volume is not
// left frozen, and no snapshot or volume is left behind.
import { DescribeSnapshotsCommand, DescribeVolumesCommand } from "@aws-sdk/client-ec2";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from "vitest";
import type { StatusReport } from "../../release-server/api/status.js";
import { STEPS, type Step } from "../../release-server/publish/journal.js";
import { MANAGED_BY_TAG, PROJECT_TAG, RELEASE_ID_TAG } from "#shared/release/tags.js";
import { describeGroup, groupInstances, hostOf, waitUntil } from "../support/e2e/fleet.js";
import { requestPublish } from "../support/e2e/publish-client.js";
import { served, startStack, waitForRelease, type Stack } from "../support/e2e/stack.js";

let stack: Stack;
/** Every release the pointer has named: the only releases snapshots may belong to. */
const published = new Set<string>();

beforeAll(async () => {
  stack = await startStack({ prefix: "e2e-crash", group: "web", size: 2, reconcileDeadlineSeconds: 30 });
  published.add((await status()).current?.releaseId ?? "");
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(() => {
  onTestFailed(async () => {
    process.stderr.write(`${await describeGroup(stack.fleet, stack.group)}\n`);
    process.stderr.write(
      `${(await readFile(join(stack.fleet.dir, "server.log"), "utf8").catch(() => "")).slice(-4000)}\n`,
    );
  });
});

const status = async () => (await (await fetch(`${stack.apiUrl}/v1/status`)).json()) as StatusReport;

const KILL_AT: Step[] = [
  "synced",
  "frozen",
  "snapshot-started",
  "snapshot-completed",
  "pointer-published",
  "fanned-out",
];

describe("kill -9 of the release server during a publish", () => {
  it.each(KILL_AT)("at %s, then a restart, ends consistent", async (step) => {
    const content = `killed at ${step}\n`;
    await writeFile(join(stack.source, "www", "index.html"), content);
    let killing: Promise<void> | undefined;
    const run = requestPublish(stack.apiUrl, stack.tokenFile, (e) => {
      if (e.type === "step" && e.step === step && e.status === "done" && !killing)
        killing = stack.server.kill9();
    });
    await run.report;
    expect(killing).toBeDefined();
    await killing;

    const restarted = await stack.restartServer();
    await waitForRelease(stack.apiUrl);
    const ids = (await groupInstances(stack.fleet, stack.group)).map((m) => m.instanceId);
    await waitUntil(
      `every member serving ${JSON.stringify(content)}`,
      async () => {
        const bodies = await Promise.all(ids.map(async (id) => served(await hostOf(stack.fleet, id))));
        return bodies.every((b) => b === content) ? true : undefined;
      },
      120_000,
    );
    const s = await waitUntil("the restarted server idle", async () => {
      const st = await status();
      return !st.publishing && st.lastPublish && st.lastPublish.result !== "failed" ? st : undefined;
    });
    published.add(s.current?.releaseId ?? "");
    // The restart found the publish interrupted at the step killed (or, the kill landing a moment
    // later, at one after it) and finished it.
    const recovered = restarted.lines.find((l) => l.msg === "recovering an interrupted publish");
    expect(STEPS.indexOf(recovered?.step as Step)).toBeGreaterThanOrEqual(STEPS.indexOf(step));

    // The pointer names a completed snapshot of this release.
    const { ec2 } = stack.fleet.aws;
    const pointed = (await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [s.current!.snapshotId] })))
      .Snapshots?.[0];
    expect(pointed?.State).toBe("completed");
    expect(pointed?.Tags).toContainEqual({ Key: RELEASE_ID_TAG, Value: s.current!.releaseId });

    // No snapshot of an abandoned attempt, none pending or failed.
    const snapshots =
      (
        await ec2.send(
          new DescribeSnapshotsCommand({
            OwnerIds: ["self"],
            Filters: [{ Name: `tag:${PROJECT_TAG}`, Values: [stack.project] }],
          }),
        )
      ).Snapshots ?? [];
    for (const snap of snapshots) {
      expect(snap.State).toBe("completed");
      expect(published).toContain(snap.Tags?.find((t) => t.Key === RELEASE_ID_TAG)?.Value);
    }

    // No volume left behind: ours are the release volume and one per member, all attached.
    const volumes = ((await ec2.send(new DescribeVolumesCommand({}))).Volumes ?? []).filter(
      (v) => v.State !== "deleted",
    );
    expect(volumes.filter((v) => v.State !== "in-use").map((v) => v.VolumeId)).toEqual([]);
    const ours = volumes.filter((v) => v.Tags?.some((t) => t.Key === MANAGED_BY_TAG));
    expect(ours).toHaveLength(ids.length + 1);

    // The journal ended the publish, and the volume is writable (thawed).
    const journal = JSON.parse(
      await readFile(
        join(stack.releaseHost.rootDir, "var/lib/asg-release-server/publish-journal.json"),
        "utf8",
      ),
    ) as { step: string };
    expect(journal.step).toBe("reconciled");
    expect(await stack.releaseHost.sh("touch /release/.probe && rm /release/.probe && echo writable")).toBe(
      "writable",
    );
  });
});
