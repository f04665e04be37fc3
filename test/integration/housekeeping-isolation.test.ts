// Against the local region (API-only instances): one housekeeping item that EC2 refuses, or one
// step whose describes are denied, fails alone; everything else is still cleaned up, and the failed
// item is deleted on the next run. Agent volumes in `error` are swept too.
import { DescribeSnapshotsCommand, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runHousekeeping } from "../../release-server/publish/housekeeping-run.js";
import type { AwsClients } from "#shared/aws/clients.js";
import { silentLogger } from "#shared/log.js";
import {
  INSTANCE_ID_TAG,
  MANAGED_BY_AGENT,
  MANAGED_BY_SERVER,
  MANAGED_BY_TAG,
  PROJECT_TAG,
} from "#shared/release/tags.js";
import { startSim, type SimHandle } from "../../sim/index.js";
import { simControl } from "../support/agent.js";
import { ebsFixtures } from "../support/ebs-fixtures.js";
import { simClients } from "../support/sim.js";
import { waitFor } from "../support/autoscaling.js";

let sim: SimHandle;
let aws: AwsClients;
let dir: string;

beforeAll(async () => {
  sim = await startSim({
    hostKind: "light",
    delays: { instancePendingMs: 10, instanceShutdownMs: 10, volumeCreateMs: 10, snapshotMs: 10 },
  });
  aws = simClients(sim);
  dir = await mkdtemp(join(tmpdir(), "housekeeping-isolation-"));
});
afterAll(async () => {
  aws?.destroy();
  await sim?.stop();
  await rm(dir, { recursive: true, force: true });
});

const { instance, volume, volumesIn, releaseSnapshot, snapshotsLeft, volumesLeft } = ebsFixtures(
  () => aws,
  () => `${sim.region}a`,
);
const available = (ids: string[]) => volumesIn(ids, "available");

describe("housekeeping", () => {
  it("isolates each item's failure, reports it, and retries it on the next run", async () => {
    const source = await volume({ [PROJECT_TAG]: "shop", [MANAGED_BY_TAG]: MANAGED_BY_SERVER });
    await available([source]);
    const [s1, s2, s3] = [
      await releaseSnapshot(source, "shop", "r1"),
      await releaseSnapshot(source, "shop", "r2"),
      await releaseSnapshot(source, "shop", "r3"),
    ];
    await waitFor(
      async () =>
        (await aws.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [s1!, s2!, s3!] }))).Snapshots,
      (s) => s?.every((x) => x.State === "completed") ?? false,
      "the release snapshots",
    );

    const live = await instance();
    const gone = await instance();
    await aws.ec2.send(new TerminateInstancesCommand({ InstanceIds: [gone] }));
    const agentVolume = (instanceId: string) =>
      volume({ [PROJECT_TAG]: "shop", [MANAGED_BY_TAG]: MANAGED_BY_AGENT, [INSTANCE_ID_TAG]: instanceId });
    const orphan = await agentVolume(gone);
    const broken = await agentVolume(live);
    const healthy = await agentVolume(live);
    await available([orphan, broken, healthy]);
    await simControl(sim, "/_sim/ec2/volume-state", { volumeId: broken, state: "error" });

    const knownHosts = join(dir, "known_hosts");
    await writeFile(knownHosts, `${live} ssh-ed25519 AAAA1\n${gone} ssh-ed25519 AAAA2\n`);
    const options = { project: "shop", keep: 1, currentSnapshotId: s3!, knownHostsFile: knownHosts };

    // EC2 refuses the first snapshot (as for one an AMI was registered from): only it stays.
    sim.setFault("ec2:DeleteSnapshot", { failNext: 1, failCode: "InvalidSnapshot.InUse" });
    let run;
    try {
      run = await runHousekeeping(aws, silentLogger, options);
    } finally {
      sim.setFault("ec2:DeleteSnapshot", undefined);
    }
    // Which of the two old snapshots is tried first is retention's business; that one failed.
    const refused = run.failures[0]?.item;
    const other = refused === s1 ? s2 : s1;
    expect([s1, s2]).toContain(refused);
    expect(run.failures).toEqual([
      { step: "retention", item: refused, error: expect.stringContaining("InvalidSnapshot.InUse") },
    ]);
    expect(run.snapshotsDeleted).toEqual([other]);
    expect(run.volumesDeleted.sort()).toEqual([orphan, broken].sort());
    expect(run.hostsForgotten).toEqual([gone]);
    expect(await snapshotsLeft([s1!, s2!, s3!])).toEqual([refused, s3].sort());
    expect(await volumesLeft([orphan, broken, healthy])).toEqual([healthy]);
    expect(await readFile(knownHosts, "utf8")).toBe(`${live} ssh-ed25519 AAAA1\n`);

    // Next run: the sweep's instance lookups are denied, which fails the sweep and the host-key
    // pruning as steps; retention still runs and deletes the snapshot it could not before.
    sim.setFault("ec2:DescribeInstances", { failNext: 100, failCode: "UnauthorizedOperation" });
    try {
      run = await runHousekeeping(aws, silentLogger, options);
    } finally {
      sim.setFault("ec2:DescribeInstances", undefined);
    }
    expect(run.snapshotsDeleted).toEqual([refused]);
    expect(run.failures.map((f) => [f.step, f.item])).toEqual([
      ["sweep", undefined],
      ["known-hosts", undefined],
    ]);
    expect(await snapshotsLeft([s1!, s2!, s3!])).toEqual([s3]);
  });
});
