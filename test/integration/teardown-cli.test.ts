// `asg-release teardown` as a process against the local region (API-only instances): it refuses while
// the release volume is attached to a running instance, refuses without --yes when there is no
// terminal, and with --yes deletes the project's detached volumes, release snapshots and pointer
// object, leaving attached volumes (with the reason) and other projects' resources alone. An item EC2
// refuses fails alone (exit 1) and goes on the next run.
import { AttachVolumeCommand, DetachVolumeCommand } from "@aws-sdk/client-ec2";
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsClients } from "#shared/aws/clients.js";
import {
  INSTANCE_ID_TAG,
  MANAGED_BY_AGENT,
  MANAGED_BY_SERVER,
  MANAGED_BY_TAG,
  PROJECT_TAG,
  ROLE_RELEASE_VOLUME,
  ROLE_ROLLBACK_SOURCE,
  ROLE_TAG,
} from "#shared/release/tags.js";
import { startSim, type SimHandle } from "../../sim/index.js";
import { ebsFixtures } from "../support/ebs-fixtures.js";
import { asgRelease, simClients } from "../support/sim.js";

let sim: SimHandle;
let aws: AwsClients;

beforeAll(async () => {
  sim = await startSim({
    hostKind: "light",
    delays: {
      instancePendingMs: 10,
      instanceShutdownMs: 10,
      volumeCreateMs: 10,
      snapshotMs: 10,
      volumeAttachMs: 10,
    },
  });
  aws = simClients(sim);
});
afterAll(async () => {
  aws?.destroy();
  await sim?.stop();
});

const { instance, volume, volumesIn, releaseSnapshot, volumesLeft, snapshotsLeft } = ebsFixtures(
  () => aws,
  () => `${sim.region}a`,
);
const snapshot = releaseSnapshot;

const pointerExists = async (): Promise<boolean> =>
  aws.s3.send(new HeadObjectCommand({ Bucket: "shop-releases", Key: "shop/current.json" })).then(
    () => true,
    () => false,
  );

describe("asg-release teardown", () => {
  it("refuses while the release host runs or without --yes, then removes the project's leftovers", async () => {
    const server = { [PROJECT_TAG]: "shop", [MANAGED_BY_TAG]: MANAGED_BY_SERVER };
    const releaseVolume = await volume({ ...server, [ROLE_TAG]: ROLE_RELEASE_VOLUME });
    const rollbackSource = await volume({ ...server, [ROLE_TAG]: ROLE_ROLLBACK_SOURCE });
    const host = await instance();
    const member = await instance();
    const agent = (id: string) =>
      volume({ [PROJECT_TAG]: "shop", [MANAGED_BY_TAG]: MANAGED_BY_AGENT, [INSTANCE_ID_TAG]: id });
    const loose = await agent(member);
    const attached = await agent(member);
    const otherVolume = await volume({ [PROJECT_TAG]: "blog", [MANAGED_BY_TAG]: MANAGED_BY_SERVER });
    await volumesIn([releaseVolume, rollbackSource, loose, attached, otherVolume], "available");
    const snapshots = [
      await snapshot(releaseVolume, "shop", "r1"),
      await snapshot(releaseVolume, "shop", "r2"),
    ];
    const otherSnapshot = await snapshot(otherVolume, "blog", "b1");
    await aws.ec2.send(
      new AttachVolumeCommand({ VolumeId: attached, InstanceId: member, Device: "/dev/sdf" }),
    );
    await aws.ec2.send(
      new AttachVolumeCommand({ VolumeId: releaseVolume, InstanceId: host, Device: "/dev/sdf" }),
    );
    await volumesIn([attached, releaseVolume], "in-use");
    await aws.s3.send(new CreateBucketCommand({ Bucket: "shop-releases" }));
    await aws.s3.send(
      new PutObjectCommand({ Bucket: "shop-releases", Key: "shop/current.json", Body: "{}" }),
    );

    const allVolumes = [releaseVolume, rollbackSource, loose, attached, otherVolume].sort();
    const allSnapshots = [...snapshots, otherSnapshot].sort();
    const untouched = async () => {
      expect(await volumesLeft(allVolumes)).toEqual(allVolumes);
      expect(await snapshotsLeft(allSnapshots)).toEqual(allSnapshots);
      expect(await pointerExists()).toBe(true);
    };
    const teardown = (...more: string[]) =>
      asgRelease(sim, [
        "teardown",
        "--project",
        "shop",
        "--pointer-s3",
        "shop-releases/shop/current.json",
        ...more,
      ]);

    // The release host still runs with its volume: refused, even with --yes.
    let run = await teardown("--yes");
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(`${releaseVolume} on ${host}`);
    expect(run.stderr).toContain("terminate the release host first, or detach the volume");
    await untouched();

    await aws.ec2.send(new DetachVolumeCommand({ VolumeId: releaseVolume }));
    await volumesIn([releaseVolume], "available");

    // No terminal and no --yes: the plan is printed, nothing is deleted.
    run = await teardown();
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain("refusing without --yes");
    expect(run.stdout).toContain(releaseVolume);
    await untouched();

    // EC2 refuses the first snapshot: it alone fails, everything else is deleted, exit 1.
    sim.setFault("ec2:DeleteSnapshot", { failNext: 1, failCode: "InvalidSnapshot.InUse" });
    try {
      run = await teardown("--yes");
    } finally {
      sim.setFault("ec2:DeleteSnapshot", undefined);
    }
    expect(run.code, run.stderr).toBe(1);
    const [refused, other] = [...snapshots].sort();
    expect(run.stdout).toMatch(new RegExp(`^failed {2}snapshot ${refused}: .*InvalidSnapshot.InUse`, "m"));
    expect(run.stdout).toContain(`deleted snapshot ${other}`);
    for (const id of [releaseVolume, rollbackSource, loose, other!])
      expect(run.stdout).toMatch(new RegExp(`^deleted (volume|snapshot) ${id}$`, "m"));
    expect(run.stdout).toContain("deleted object s3://shop-releases/shop/current.json");
    expect(run.stdout).toContain(`left    volume ${attached}: attached to ${member}`);
    expect(run.stdout).toContain("5 deleted, 1 failed");
    expect(await snapshotsLeft(allSnapshots)).toEqual([refused, otherSnapshot].sort());

    // Run again: the refused snapshot goes, the rest is already gone.
    run = await teardown("--yes");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`deleted snapshot ${refused}`);
    expect(run.stdout).toContain("1 deleted, 0 failed");
    expect(run.stdout).toContain(`left    volume ${attached}: attached to ${member}`);
    expect(run.stdout).not.toContain(otherVolume);
    expect(run.stdout).not.toContain(otherSnapshot);
    expect(await volumesLeft(allVolumes)).toEqual([attached, otherVolume].sort());
    expect(await snapshotsLeft(allSnapshots)).toEqual([otherSnapshot]);
    expect(await pointerExists()).toBe(false);
  }, 120_000);
});
