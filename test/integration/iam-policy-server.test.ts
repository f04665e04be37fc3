// The release server's generated role policy, enforced by the local region (API-only instances):
// with credentials holding exactly that policy and ec2:SourceInstanceARN = the release host, the
// server's AWS calls succeed (the release volume made and attached as init does, snapshots made,
// waited for and retired by publish's own functions, a rollback's source volume made from a release
// snapshot, attached, detached and deleted, the agent volume sweep, the member listing and the
// pointer object), while another project's snapshots and volumes, an untagged snapshot and any
// other instance are refused.
import {
  AttachVolumeCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DetachVolumeCommand,
  DescribeSnapshotsCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceTerminated,
  waitUntilSnapshotCompleted,
  waitUntilVolumeAvailable,
  type Tag,
} from "@aws-sdk/client-ec2";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rolePolicy } from "../../release-server/iam/generate.js";
import { applyRetention, sweepVolumes } from "../../release-server/publish/housekeeping.js";
import { listMembers } from "../../release-server/publish/list-members.js";
import {
  deleteSnapshot,
  freezeAndSnapshot,
  waitSnapshotCompleted,
} from "../../release-server/publish/snapshot.js";
import { createAwsClients, type AwsClients } from "#shared/aws/clients.js";
import { loadEnvironment } from "#shared/config/environment.js";
import { parseSource } from "#shared/config/load.js";
import { silentLogger } from "#shared/log.js";
import type { Run } from "#shared/proc/run.js";
import {
  INSTANCE_ID_TAG,
  MANAGED_BY_AGENT,
  MANAGED_BY_SERVER,
  MANAGED_BY_TAG,
  PROJECT_TAG,
  RELEASE_ID_TAG,
  ROLE_RELEASE_VOLUME,
  ROLE_ROLLBACK_SOURCE,
  ROLE_TAG,
} from "#shared/release/tags.js";
import { startSim, type SimHandle } from "../../sim/index.js";
import { DEBIAN_12_AMI } from "../../sim/services/ec2/seed.js";
import { simClients } from "../support/sim.js";

const PROJECT = "shop";
let sim: SimHandle;
let admin: AwsClients;
let server: AwsClients;
let host: string;
let other: string;
let zone: string;

const tagList = (tags: Record<string, string>): Tag[] =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
const releaseVolumeTags = (project: string) => ({
  [ROLE_TAG]: ROLE_RELEASE_VOLUME,
  [PROJECT_TAG]: project,
  [MANAGED_BY_TAG]: MANAGED_BY_SERVER,
});
// fsfreeze is a host command; the AWS calls around it are what this file checks.
const noRun: Run = (argv) => Promise.resolve({ argv, exitCode: 0, stdout: "", stderr: "" });
const refused = (p: Promise<unknown>) =>
  p.then(
    () => "allowed",
    (e: { name: string; code?: string }) => e.code ?? e.name,
  );

async function launch(): Promise<string> {
  const out = await admin.ec2.send(
    new RunInstancesCommand({ ImageId: DEBIAN_12_AMI, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1 }),
  );
  return out.Instances![0]!.InstanceId!;
}

async function volume(aws: AwsClients, tags: Record<string, string>): Promise<string> {
  const out = await aws.ec2.send(
    new CreateVolumeCommand({
      AvailabilityZone: zone,
      Size: 1,
      ...(Object.keys(tags).length
        ? { TagSpecifications: [{ ResourceType: "volume", Tags: tagList(tags) }] }
        : {}),
    }),
  );
  await waitUntilVolumeAvailable(
    { client: admin.ec2, maxWaitTime: 30, minDelay: 0.1, maxDelay: 1 },
    { VolumeIds: [out.VolumeId!] },
  );
  return out.VolumeId!;
}

/** A completed snapshot made by the region's administrator, with these tags. */
async function adminSnapshot(volumeId: string, tags: Record<string, string>): Promise<string> {
  const out = await admin.ec2.send(
    new CreateSnapshotCommand({
      VolumeId: volumeId,
      ...(Object.keys(tags).length
        ? { TagSpecifications: [{ ResourceType: "snapshot", Tags: tagList(tags) }] }
        : {}),
    }),
  );
  await waitUntilSnapshotCompleted(
    { client: admin.ec2, maxWaitTime: 30, minDelay: 0.1, maxDelay: 1 },
    { SnapshotIds: [out.SnapshotId!] },
  );
  return out.SnapshotId!;
}

beforeAll(async () => {
  sim = await startSim({
    hostKind: "light",
    delays: {
      instancePendingMs: 10,
      instanceShutdownMs: 10,
      volumeCreateMs: 10,
      volumeAttachMs: 10,
      snapshotMs: 20,
    },
  });
  admin = simClients(sim, { maxAttempts: 1 });
  await admin.s3.send(new CreateBucketCommand({ Bucket: "shop-releases" }));
  host = await launch();
  other = await launch();
  zone = `${sim.region}a`;
  const { environment } = loadEnvironment([
    parseSource("env.yaml", `vpc: vpc-1\nlaunch_config: {ami: ami-0123456789abcdef0}`).source!,
  ]);
  const policy = rolePolicy("release-server", {
    environment: environment!,
    project: PROJECT,
    pointerObject: "shop-releases/current",
  });
  // The release host's role credentials: exactly the generated policy, on the release host.
  const credentials = sim.bindPolicies([policy], {
    "ec2:SourceInstanceARN": `arn:aws:ec2:${sim.region}:${sim.accountId}:instance/${host}`,
  });
  server = createAwsClients({ region: sim.region, endpoint: sim.endpoint, credentials, maxAttempts: 1 });
});
afterAll(async () => {
  server?.destroy();
  admin?.destroy();
  await sim?.stop();
});

describe("release-server role policy in a region that enforces it", () => {
  let releaseVolume: string;
  const snapshots: string[] = [];

  it("makes the release volume with init's tags and attaches it to the release host only", async () => {
    releaseVolume = await volume(server, {
      ...releaseVolumeTags(PROJECT),
      Name: `${PROJECT} release volume`,
    });
    expect(
      await refused(
        server.ec2.send(
          new AttachVolumeCommand({ VolumeId: releaseVolume, InstanceId: other, Device: "/dev/sdf" }),
        ),
      ),
    ).toBe("UnauthorizedOperation");
    await server.ec2.send(
      new AttachVolumeCommand({ VolumeId: releaseVolume, InstanceId: host, Device: "/dev/sdf" }),
    );
    // Untagged, or another project's: refused.
    expect(await refused(volume(server, {}))).toBe("UnauthorizedOperation");
    expect(await refused(volume(server, releaseVolumeTags("other")))).toBe("UnauthorizedOperation");
  });

  it("snapshots the release volume as publish does, and retention deletes the old ones", async () => {
    for (const releaseId of ["r1", "r2", "r3"]) {
      const id = await freezeAndSnapshot(noRun, server.ec2, {
        volumeId: releaseVolume,
        mountPath: "/release",
        project: PROJECT,
        releaseId,
        treeHash: "a".repeat(64),
      });
      await waitSnapshotCompleted(server.ec2, id, { maxWaitMs: 30_000 });
      snapshots.push(id);
    }
    const deleted = await applyRetention(server, silentLogger, {
      project: PROJECT,
      keep: 1,
      currentSnapshotId: snapshots[2],
    });
    expect(deleted.map((d) => d.snapshotId).sort()).toEqual([snapshots[0], snapshots[1]].sort());
  });

  it("refuses snapshots of any other volume, and snapshots not tagged as this project's", async () => {
    const plain = await volume(admin, {});
    const theirs = await volume(admin, releaseVolumeTags("other"));
    for (const v of [plain, theirs])
      expect(
        await refused(
          server.ec2.send(
            new CreateSnapshotCommand({
              VolumeId: v,
              TagSpecifications: [
                {
                  ResourceType: "snapshot",
                  Tags: tagList({ [PROJECT_TAG]: PROJECT, [MANAGED_BY_TAG]: MANAGED_BY_SERVER }),
                },
              ],
            }),
          ),
        ),
      ).toBe("UnauthorizedOperation");
    expect(await refused(server.ec2.send(new CreateSnapshotCommand({ VolumeId: releaseVolume })))).toBe(
      "UnauthorizedOperation",
    );
  });

  it("cannot delete another project's snapshot, nor an untagged one", async () => {
    const source = await volume(admin, {});
    const theirs = await adminSnapshot(source, {
      [PROJECT_TAG]: "other",
      [MANAGED_BY_TAG]: MANAGED_BY_SERVER,
      [RELEASE_ID_TAG]: "r1",
    });
    const untagged = await adminSnapshot(source, {});
    for (const s of [theirs, untagged]) {
      expect(await refused(server.ec2.send(new DeleteSnapshotCommand({ SnapshotId: s })))).toBe(
        "UnauthorizedOperation",
      );
      // The product's own delete is refused the same way.
      expect(await refused(deleteSnapshot(server.ec2, s, silentLogger, "test"))).toBe(
        "UnauthorizedOperation",
      );
    }
    const left = await admin.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [theirs, untagged] }));
    expect(left.Snapshots?.map((s) => s.SnapshotId).sort()).toEqual([theirs, untagged].sort());
  });

  it("makes a rollback source from the project's release snapshot, on the release host only, and deletes it", async () => {
    const sourceTags = (project: string) => ({
      [ROLE_TAG]: ROLE_ROLLBACK_SOURCE,
      [PROJECT_TAG]: project,
      [MANAGED_BY_TAG]: MANAGED_BY_SERVER,
    });
    const fromSnapshot = (aws: AwsClients, snapshotId: string, tags: Record<string, string>) =>
      aws.ec2.send(
        new CreateVolumeCommand({
          AvailabilityZone: zone,
          SnapshotId: snapshotId,
          TagSpecifications: [{ ResourceType: "volume", Tags: tagList(tags) }],
        }),
      );
    const release = snapshots[2]!;
    const made = await fromSnapshot(server, release, { ...sourceTags(PROJECT), [RELEASE_ID_TAG]: "r3" });
    const id = made.VolumeId!;
    await waitUntilVolumeAvailable(
      { client: admin.ec2, maxWaitTime: 30, minDelay: 0.1, maxDelay: 1 },
      { VolumeIds: [id] },
    );
    expect(
      await refused(
        server.ec2.send(new AttachVolumeCommand({ VolumeId: id, InstanceId: other, Device: "/dev/sdr" })),
      ),
    ).toBe("UnauthorizedOperation");
    await server.ec2.send(new AttachVolumeCommand({ VolumeId: id, InstanceId: host, Device: "/dev/sdr" }));
    await server.ec2.send(new DetachVolumeCommand({ VolumeId: id, InstanceId: host }));
    await waitUntilVolumeAvailable(
      { client: admin.ec2, maxWaitTime: 30, minDelay: 0.1, maxDelay: 1 },
      { VolumeIds: [id] },
    );
    await server.ec2.send(new DeleteVolumeCommand({ VolumeId: id }));
    // Not from another project's snapshot, not tagged as another project's, not untagged as a role.
    const theirs = await adminSnapshot(await volume(admin, {}), {
      [PROJECT_TAG]: "other",
      [MANAGED_BY_TAG]: MANAGED_BY_SERVER,
      [RELEASE_ID_TAG]: "r1",
    });
    expect(await refused(fromSnapshot(server, theirs, sourceTags(PROJECT)))).toBe("UnauthorizedOperation");
    expect(await refused(fromSnapshot(server, release, sourceTags("other")))).toBe("UnauthorizedOperation");
    expect(await refused(fromSnapshot(server, release, { [PROJECT_TAG]: PROJECT }))).toBe(
      "UnauthorizedOperation",
    );
    // Another project's rollback source is neither detached nor deleted.
    const foreign = await volume(admin, sourceTags("other"));
    await admin.ec2.send(
      new AttachVolumeCommand({ VolumeId: foreign, InstanceId: host, Device: "/dev/sds" }),
    );
    expect(
      await refused(server.ec2.send(new DetachVolumeCommand({ VolumeId: foreign, InstanceId: host }))),
    ).toBe("UnauthorizedOperation");
    expect(await refused(server.ec2.send(new DeleteVolumeCommand({ VolumeId: foreign })))).toBe(
      "UnauthorizedOperation",
    );
  });

  it("sweeps this project's orphaned agent volumes, and cannot delete another project's", async () => {
    const gone = await launch();
    const agentVolume = (project: string) =>
      volume(admin, { [INSTANCE_ID_TAG]: gone, [PROJECT_TAG]: project, [MANAGED_BY_TAG]: MANAGED_BY_AGENT });
    const ours = await agentVolume(PROJECT);
    const theirs = await agentVolume("other");
    await admin.ec2.send(new TerminateInstancesCommand({ InstanceIds: [gone] }));
    await waitUntilInstanceTerminated(
      { client: admin.ec2, maxWaitTime: 30, minDelay: 0.1, maxDelay: 1 },
      { InstanceIds: [gone] },
    );
    const swept = await sweepVolumes(server, silentLogger, PROJECT);
    expect(swept.map((s) => s.volumeId)).toEqual([ours]);
    for (const v of [theirs, releaseVolume])
      expect(await refused(server.ec2.send(new DeleteVolumeCommand({ VolumeId: v })))).toBe(
        "UnauthorizedOperation",
      );
  });

  it("lists the fleet and reads and writes the pointer object, and no other object", async () => {
    await listMembers(server, { asgNames: ["web"], tags: {} });
    await server.s3.send(new PutObjectCommand({ Bucket: "shop-releases", Key: "current", Body: "snap-1\n" }));
    const got = await server.s3.send(new GetObjectCommand({ Bucket: "shop-releases", Key: "current" }));
    expect(await got.Body?.transformToString()).toBe("snap-1\n");
    expect(
      await refused(
        server.s3.send(new PutObjectCommand({ Bucket: "shop-releases", Key: "other", Body: "x" })),
      ),
    ).toBe("AccessDenied");
  });
});
