// EBS in the local region: volumes (types, sizes, states, attach/detach, DeleteOnTermination),
// snapshots (point-in-time image copies, pending -> completed, owners, foreign and held snapshots),
// and tags across EC2 resources.
import { open, readdir } from "node:fs/promises";
import { join } from "node:path";
import {
  AttachVolumeCommand,
  CopySnapshotCommand,
  CreateSnapshotCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeleteTagsCommand,
  DeleteVolumeCommand,
  DescribeSnapshotsCommand,
  DescribeTagsCommand,
  DescribeVolumesCommand,
  DescribeVolumeStatusCommand,
  DetachVolumeCommand,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type CreateVolumeCommandInput,
  type Volume,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSim, type SimHandle } from "../../sim/index.js";
import { DEBIAN_12_AMI } from "../../sim/services/ec2/seed.js";
import type { AwsClients } from "#shared/aws/clients.js";
import { awsCli, awsCliError, simClients } from "../support/sim.js";

let sim: SimHandle;
let aws: AwsClients;
const DELAY = 40;

beforeAll(async () => {
  sim = await startSim({
    delays: {
      instancePendingMs: DELAY,
      instanceShutdownMs: DELAY,
      volumeCreateMs: DELAY,
      volumeAttachMs: DELAY,
      snapshotMs: 2 * DELAY,
    },
  });
  aws = simClients(sim, { maxAttempts: 1 });
});
afterAll(async () => {
  aws.destroy();
  await sim.stop();
});

const errorName = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => "no error",
    (e: { name: string }) => e.name,
  );

async function volume(id: string): Promise<Volume> {
  return (await aws.ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] }))).Volumes![0]!;
}

async function newVolume(input: Partial<CreateVolumeCommandInput> = {}): Promise<string> {
  const out = await aws.ec2.send(
    new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 1, ...input }),
  );
  await sim.advanceClock(DELAY);
  return out.VolumeId!;
}

async function runningInstance(az = "us-east-1a"): Promise<string> {
  const out = await aws.ec2.send(
    new RunInstancesCommand({
      ImageId: DEBIAN_12_AMI,
      MinCount: 1,
      MaxCount: 1,
      Placement: { AvailabilityZone: az },
    }),
  );
  await sim.advanceClock(DELAY);
  return out.Instances![0]!.InstanceId!;
}

async function control(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${sim.endpoint}${path}`, {
    method: path.endsWith("host-kind") ? "PUT" : "POST",
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe("volumes", () => {
  it("creates a gp3 volume that goes from creating to available", async () => {
    const out = await aws.ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: "us-east-1b",
        Size: 20,
        VolumeType: "gp3",
        TagSpecifications: [{ ResourceType: "volume", Tags: [{ Key: "release", Value: "r1" }] }],
      }),
    );
    expect(out).toMatchObject({
      AvailabilityZone: "us-east-1b",
      Size: 20,
      VolumeType: "gp3",
      Iops: 3000,
      Throughput: 125,
      Encrypted: false,
      State: "creating",
      SnapshotId: "",
      Tags: [{ Key: "release", Value: "r1" }],
    });
    await sim.advanceClock(DELAY);
    expect((await volume(out.VolumeId!)).State).toBe("available");
    const status = await aws.ec2.send(new DescribeVolumeStatusCommand({ VolumeIds: [out.VolumeId!] }));
    expect(status.VolumeStatuses?.[0]?.VolumeStatus?.Status).toBe("ok");
  });

  it("checks type, size, IOPS, throughput and encryption parameters as EC2 does", async () => {
    const create = (input: Partial<CreateVolumeCommandInput>) =>
      errorName(
        aws.ec2.send(
          new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", ...input } as CreateVolumeCommandInput),
        ),
      );
    expect(await create({ AvailabilityZone: undefined, Size: 1 })).toBe("MissingParameter");
    expect(await create({ AvailabilityZone: "us-east-1z", Size: 1 })).toBe("InvalidParameterValue");
    expect(await create({})).toBe("MissingParameter");
    expect(await create({ Size: 10, VolumeType: "io1" })).toBe("MissingParameter");
    expect(await create({ Size: 10, VolumeType: "io1", Iops: 1000 })).toBe("InvalidParameterValue");
    expect(await create({ Size: 10, VolumeType: "gp2", Iops: 300 })).toBe("InvalidParameterCombination");
    expect(await create({ Size: 10, VolumeType: "gp2", Throughput: 200 })).toBe(
      "InvalidParameterCombination",
    );
    expect(await create({ Size: 10, VolumeType: "st1" })).toBe("InvalidParameterValue");
    expect(await create({ Size: 10, KmsKeyId: "alias/x" })).toBe("InvalidParameterDependency");
    const io2 = await aws.ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 10, VolumeType: "io2", Iops: 5000 }),
    );
    expect(io2).toMatchObject({ VolumeType: "io2", Iops: 5000 });
    const gp2 = await aws.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 10 }));
    expect(gp2).toMatchObject({ VolumeType: "gp2", Iops: 100 });
    const enc = await aws.ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 10, Encrypted: true }),
    );
    expect(enc.KmsKeyId).toMatch(new RegExp(`^arn:aws:kms:us-east-1:${sim.accountId}:key/`));
  });

  it("attaches in the same AZ only, and follows attaching/attached/detaching/available", async () => {
    const instanceId = await runningInstance("us-east-1a");
    const elsewhere = await newVolume({ AvailabilityZone: "us-east-1c" });
    expect(
      await errorName(
        aws.ec2.send(
          new AttachVolumeCommand({ VolumeId: elsewhere, InstanceId: instanceId, Device: "/dev/sdf" }),
        ),
      ),
    ).toBe("InvalidVolume.ZoneMismatch");
    const creating = (
      await aws.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 1 }))
    ).VolumeId!;
    expect(
      await errorName(
        aws.ec2.send(
          new AttachVolumeCommand({ VolumeId: creating, InstanceId: instanceId, Device: "/dev/sdf" }),
        ),
      ),
    ).toBe("IncorrectState");
    const volumeId = await newVolume();
    const att = await aws.ec2.send(
      new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: "/dev/sdf" }),
    );
    expect(att).toMatchObject({
      VolumeId: volumeId,
      InstanceId: instanceId,
      Device: "/dev/sdf",
      State: "attaching",
    });
    expect((await volume(volumeId)).State).toBe("in-use");
    await sim.advanceClock(DELAY);
    expect((await volume(volumeId)).Attachments).toEqual([
      expect.objectContaining({
        InstanceId: instanceId,
        Device: "/dev/sdf",
        State: "attached",
        DeleteOnTermination: false,
      }),
    ]);
    const filtered = await aws.ec2.send(
      new DescribeVolumesCommand({
        Filters: [
          { Name: "attachment.instance-id", Values: [instanceId] },
          { Name: "attachment.device", Values: ["/dev/sdf"] },
          { Name: "status", Values: ["in-use"] },
        ],
      }),
    );
    expect(filtered.Volumes?.map((v) => v.VolumeId)).toEqual([volumeId]);
    const other = await newVolume();
    expect(
      await errorName(
        aws.ec2.send(
          new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: "/dev/sdg" }),
        ),
      ),
    ).toBe("VolumeInUse");
    expect(
      await errorName(
        aws.ec2.send(
          new AttachVolumeCommand({ VolumeId: other, InstanceId: instanceId, Device: "/dev/sdf" }),
        ),
      ),
    ).toBe("InvalidParameterValue");
    expect(await errorName(aws.ec2.send(new DeleteVolumeCommand({ VolumeId: volumeId })))).toBe(
      "VolumeInUse",
    );
    const det = await aws.ec2.send(new DetachVolumeCommand({ VolumeId: volumeId }));
    expect(det.State).toBe("detaching");
    await sim.advanceClock(DELAY);
    expect(await volume(volumeId)).toMatchObject({ State: "available", Attachments: [] });
    expect(await errorName(aws.ec2.send(new DetachVolumeCommand({ VolumeId: volumeId })))).toBe(
      "IncorrectState",
    );
    await aws.ec2.send(new DeleteVolumeCommand({ VolumeId: volumeId }));
    expect((await volume(volumeId)).State).toBe("deleting");
    await sim.advanceClock(DELAY);
    expect(await errorName(volume(volumeId))).toBe("InvalidVolume.NotFound");
  });

  it("deletes attached volumes marked DeleteOnTermination when the instance terminates, keeps the others", async () => {
    const instanceId = await runningInstance();
    const doomed = await newVolume();
    const kept = await newVolume();
    await aws.ec2.send(
      new AttachVolumeCommand({ VolumeId: doomed, InstanceId: instanceId, Device: "/dev/sdf" }),
    );
    await aws.ec2.send(
      new AttachVolumeCommand({ VolumeId: kept, InstanceId: instanceId, Device: "/dev/sdg" }),
    );
    await sim.advanceClock(DELAY);
    await aws.ec2.send(
      new ModifyInstanceAttributeCommand({
        InstanceId: instanceId,
        BlockDeviceMappings: [{ DeviceName: "/dev/sdf", Ebs: { DeleteOnTermination: true } }],
      }),
    );
    const marked = await aws.ec2.send(
      new DescribeVolumesCommand({
        Filters: [
          { Name: "attachment.instance-id", Values: [instanceId] },
          { Name: "attachment.delete-on-termination", Values: ["true"] },
        ],
      }),
    );
    // The root volume and /dev/sdf.
    expect(marked.Volumes?.map((v) => v.Attachments?.[0]?.Device).sort()).toEqual(["/dev/sdf", "/dev/xvda"]);
    await aws.ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    await sim.advanceClock(DELAY);
    await sim.advanceClock(DELAY);
    expect(await errorName(volume(doomed))).toBe("InvalidVolume.NotFound");
    expect(await volume(kept)).toMatchObject({ State: "available", Attachments: [] });
  });

  it("pages and hides new volumes under the eventual-consistency fault", async () => {
    for (let i = 0; i < 6; i++)
      await aws.ec2.send(
        new CreateVolumeCommand({
          AvailabilityZone: "us-east-1c",
          Size: 1,
          TagSpecifications: [{ ResourceType: "volume", Tags: [{ Key: "batch", Value: "pages" }] }],
        }),
      );
    const filters = [{ Name: "tag:batch", Values: ["pages"] }];
    const first = await aws.ec2.send(new DescribeVolumesCommand({ Filters: filters, MaxResults: 5 }));
    expect(first.Volumes).toHaveLength(5);
    const second = await aws.ec2.send(
      new DescribeVolumesCommand({ Filters: filters, MaxResults: 5, NextToken: first.NextToken }),
    );
    expect(second.Volumes).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    sim.setFault("ec2:CreateVolume", { hideNewForDescribes: 1 });
    const hidden = await aws.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 1 }));
    sim.setFault("ec2:CreateVolume", undefined);
    expect(await errorName(volume(hidden.VolumeId!))).toBe("InvalidVolume.NotFound");
    expect((await volume(hidden.VolumeId!)).VolumeId).toBe(hidden.VolumeId);
  });
});

describe("snapshots", () => {
  it("moves pending -> completed with progress, and lists by owner, volume, status and tag", async () => {
    const volumeId = await newVolume({ Size: 4 });
    const snap = await aws.ec2.send(
      new CreateSnapshotCommand({
        VolumeId: volumeId,
        Description: "release r1",
        TagSpecifications: [{ ResourceType: "snapshot", Tags: [{ Key: "release", Value: "r1" }] }],
      }),
    );
    expect(snap).toMatchObject({
      State: "pending",
      Progress: "0%",
      VolumeId: volumeId,
      VolumeSize: 4,
      OwnerId: sim.accountId,
    });
    await sim.advanceClock(DELAY);
    const half = await aws.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snap.SnapshotId!] }));
    expect(half.Snapshots?.[0]).toMatchObject({ State: "pending", Progress: "50%" });
    await sim.advanceClock(DELAY);
    const mine = await aws.ec2.send(
      new DescribeSnapshotsCommand({
        OwnerIds: ["self"],
        Filters: [
          { Name: "status", Values: ["completed"] },
          { Name: "volume-id", Values: [volumeId] },
          { Name: "tag:release", Values: ["r1"] },
        ],
      }),
    );
    expect(mine.Snapshots).toEqual([
      expect.objectContaining({
        SnapshotId: snap.SnapshotId,
        State: "completed",
        Progress: "100%",
        Description: "release r1",
      }),
    ]);
    // A volume from it takes its size and id.
    const restored = await aws.ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: "us-east-1b", SnapshotId: snap.SnapshotId! }),
    );
    expect(restored).toMatchObject({ SnapshotId: snap.SnapshotId, Size: 4 });
    expect(
      await errorName(
        aws.ec2.send(
          new CreateVolumeCommand({ AvailabilityZone: "us-east-1b", SnapshotId: snap.SnapshotId!, Size: 2 }),
        ),
      ),
    ).toBe("InvalidParameterValue");
    await aws.ec2.send(new DeleteSnapshotCommand({ SnapshotId: snap.SnapshotId! }));
    expect(
      await errorName(aws.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snap.SnapshotId!] }))),
    ).toBe("InvalidSnapshot.NotFound");
  });

  it("never lists the public AMI snapshots as the account's own, and refuses to delete them", async () => {
    const all = await aws.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ["self"] }));
    expect(all.Snapshots?.every((s) => s.OwnerId === sim.accountId)).toBe(true);
    // Each AMI's root snapshot belongs to its publisher: Amazon, Debian, Canonical.
    const amazon = await aws.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ["amazon"] }));
    expect(amazon.Snapshots?.length).toBe(1);
    const debian = await aws.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ["136693071363"] }));
    expect(debian.Snapshots?.length).toBe(1);
    for (const s of [amazon.Snapshots![0]!, debian.Snapshots![0]!])
      expect(await errorName(aws.ec2.send(new DeleteSnapshotCommand({ SnapshotId: s.SnapshotId! })))).toBe(
        "UnauthorizedOperation",
      );
  });

  it("serves a snapshot owned by another account and one held pending (control routes)", async () => {
    const foreign = await control("/_sim/ec2/foreign-snapshot", { volumeSize: 2, tags: { release: "evil" } });
    const id = foreign.snapshotId as string;
    const byId = await aws.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }));
    expect(byId.Snapshots?.[0]).toMatchObject({ OwnerId: "210987654321", State: "completed", VolumeSize: 2 });
    const self = await aws.ec2.send(
      new DescribeSnapshotsCommand({ OwnerIds: ["self"], Filters: [{ Name: "snapshot-id", Values: [id] }] }),
    );
    expect(self.Snapshots).toEqual([]);
    const restorable = await aws.ec2.send(
      new DescribeSnapshotsCommand({
        RestorableByUserIds: ["self"],
        Filters: [{ Name: "tag:release", Values: ["evil"] }],
      }),
    );
    expect(restorable.Snapshots?.map((s) => s.SnapshotId)).toEqual([id]);
    const privateOne = await control("/_sim/ec2/foreign-snapshot", { sharedWith: "none" });
    expect(
      await errorName(
        aws.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [privateOne.snapshotId as string] })),
      ),
    ).toBe("InvalidSnapshot.NotFound");

    const volumeId = await newVolume();
    const held = await aws.ec2.send(new CreateSnapshotCommand({ VolumeId: volumeId }));
    await control("/_sim/ec2/snapshot-state", {
      snapshotId: held.SnapshotId,
      state: "pending",
      progress: "12%",
    });
    await sim.advanceClock(10 * DELAY);
    const still = await aws.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [held.SnapshotId!] }));
    expect(still.Snapshots?.[0]).toMatchObject({ State: "pending", Progress: "12%" });
    expect(
      await errorName(
        aws.ec2.send(
          new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", SnapshotId: held.SnapshotId! }),
        ),
      ),
    ).toBe("IncorrectState");
  });

  it("copies a completed snapshot, also across regions", async () => {
    const volumeId = await newVolume({ Size: 3 });
    const source = await aws.ec2.send(new CreateSnapshotCommand({ VolumeId: volumeId }));
    expect(
      await errorName(
        aws.ec2.send(
          new CopySnapshotCommand({ SourceRegion: "us-east-1", SourceSnapshotId: source.SnapshotId! }),
        ),
      ),
    ).toBe("IncorrectState");
    await sim.advanceClock(2 * DELAY);
    const copy = await aws.ec2.send(
      new CopySnapshotCommand({
        SourceRegion: "us-east-1",
        SourceSnapshotId: source.SnapshotId!,
        TagSpecifications: [{ ResourceType: "snapshot", Tags: [{ Key: "copy", Value: "yes" }] }],
      }),
    );
    await sim.advanceClock(2 * DELAY);
    const described = await aws.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [copy.SnapshotId!] }));
    expect(described.Snapshots?.[0]).toMatchObject({
      State: "completed",
      VolumeSize: 3,
      Description: `[Copied ${source.SnapshotId} from us-east-1]`,
      Tags: [{ Key: "copy", Value: "yes" }],
    });
    const west = simClients({ ...sim, region: "eu-west-1" }, { maxAttempts: 1 });
    try {
      const moved = await west.ec2.send(
        new CopySnapshotCommand({ SourceRegion: "us-east-1", SourceSnapshotId: source.SnapshotId! }),
      );
      expect(sim.sim.state.region("eu-west-1")!.snapshots.get(moved.SnapshotId!)?.volumeSize).toBe(3);
    } finally {
      west.destroy();
    }
  });

  it("pages snapshots", async () => {
    const volumeId = await newVolume();
    for (let i = 0; i < 7; i++) await aws.ec2.send(new CreateSnapshotCommand({ VolumeId: volumeId }));
    const filters = [{ Name: "volume-id", Values: [volumeId] }];
    const first = await aws.ec2.send(
      new DescribeSnapshotsCommand({ OwnerIds: ["self"], Filters: filters, MaxResults: 5 }),
    );
    const second = await aws.ec2.send(
      new DescribeSnapshotsCommand({
        OwnerIds: ["self"],
        Filters: filters,
        MaxResults: 5,
        NextToken: first.NextToken,
      }),
    );
    expect([first.Snapshots?.length, second.Snapshots?.length, second.NextToken]).toEqual([5, 2, undefined]);
  });
});

describe("volume images", () => {
  it("keeps no files for light volumes", async () => {
    await newVolume();
    const files = await readdir(join(sim.stateDir, "volumes")).catch(() => []);
    expect(files).toEqual([]);
  });

  it("gives full-host volumes sparse images; snapshots copy them at that instant", async () => {
    await control("/_sim/ec2/host-kind", { hostKind: "full" });
    try {
      const volumeId = await newVolume({ Size: 2 });
      const image = join(sim.stateDir, "volumes", `${volumeId}.img`);
      const write = async (path: string, text: string): Promise<void> => {
        const f = await open(path, "r+");
        await f.write(text, 0);
        await f.close();
      };
      const f = await open(image, "r");
      const { size, blocks } = await f.stat();
      await f.close();
      expect(size).toBe(2 * 1024 ** 3);
      expect(blocks).toBeLessThan(64);
      await write(image, "release-one");
      const snap = await aws.ec2.send(new CreateSnapshotCommand({ VolumeId: volumeId }));
      await write(image, "release-two");
      await sim.advanceClock(2 * DELAY);
      const copy = await newVolume({ SnapshotId: snap.SnapshotId!, Size: undefined });
      const g = await open(join(sim.stateDir, "volumes", `${copy}.img`), "r");
      const { buffer } = await g.read(Buffer.alloc(11), 0, 11, 0);
      await g.close();
      const head = buffer.toString();
      expect(head).toBe("release-one");
    } finally {
      await control("/_sim/ec2/host-kind", { hostKind: "light" });
    }
  });
});

describe("tags", () => {
  it("tags, lists and untags resources of every kind", async () => {
    const instanceId = await runningInstance();
    const volumeId = await newVolume();
    await aws.ec2.send(
      new CreateTagsCommand({
        Resources: [instanceId, volumeId],
        Tags: [
          { Key: "stage", Value: "blue" },
          { Key: "owner", Value: "ops" },
        ],
      }),
    );
    const listed = await aws.ec2.send(
      new DescribeTagsCommand({
        Filters: [
          { Name: "resource-id", Values: [instanceId, volumeId] },
          { Name: "key", Values: ["stage"] },
        ],
      }),
    );
    expect(listed.Tags?.map((t) => [t.ResourceType, t.Key, t.Value]).sort()).toEqual([
      ["instance", "stage", "blue"],
      ["volume", "stage", "blue"],
    ]);
    await aws.ec2.send(
      new DeleteTagsCommand({ Resources: [volumeId], Tags: [{ Key: "stage", Value: "green" }] }),
    );
    expect((await volume(volumeId)).Tags?.map((t) => t.Key).sort()).toEqual(["owner", "stage"]);
    await aws.ec2.send(new DeleteTagsCommand({ Resources: [volumeId], Tags: [{ Key: "stage" }] }));
    expect((await volume(volumeId)).Tags).toEqual([{ Key: "owner", Value: "ops" }]);
    await aws.ec2.send(new DeleteTagsCommand({ Resources: [volumeId] }));
    expect((await volume(volumeId)).Tags).toBeUndefined();
    expect(
      await errorName(
        aws.ec2.send(
          new CreateTagsCommand({ Resources: ["vol-00000000000000000"], Tags: [{ Key: "a", Value: "b" }] }),
        ),
      ),
    ).toBe("InvalidVolume.NotFound");
    expect(
      await errorName(
        aws.ec2.send(new CreateTagsCommand({ Resources: [volumeId], Tags: [{ Key: "aws:x", Value: "b" }] })),
      ),
    ).toBe("InvalidParameterValue");
  });
});

describe("through the AWS CLI", () => {
  it("creates and describes volumes with filters, and snapshots by owner", async () => {
    const created = (await awsCli(sim, [
      "ec2",
      "create-volume",
      "--availability-zone",
      "us-east-1c",
      "--size",
      "3",
      "--volume-type",
      "gp3",
      "--tag-specifications",
      "ResourceType=volume,Tags=[{Key=cli,Value=yes}]",
    ])) as { VolumeId: string; State: string; Size: number };
    expect(created).toMatchObject({ State: "creating", Size: 3 });
    await sim.advanceClock(DELAY);
    const described = (await awsCli(sim, [
      "ec2",
      "describe-volumes",
      "--filters",
      "Name=tag:cli,Values=yes",
      "Name=availability-zone,Values=us-east-1c",
      "Name=status,Values=available",
    ])) as { Volumes: { VolumeId: string; Tags: { Key: string }[] }[] };
    expect(described.Volumes.map((v) => v.VolumeId)).toEqual([created.VolumeId]);
    const snap = (await awsCli(sim, ["ec2", "create-snapshot", "--volume-id", created.VolumeId])) as {
      SnapshotId: string;
    };
    await sim.advanceClock(2 * DELAY);
    const mine = (await awsCli(sim, [
      "ec2",
      "describe-snapshots",
      "--owner-ids",
      "self",
      "--filters",
      `Name=volume-id,Values=${created.VolumeId}`,
    ])) as {
      Snapshots: { SnapshotId: string; State: string }[];
    };
    expect(mine.Snapshots).toEqual([
      expect.objectContaining({ SnapshotId: snap.SnapshotId, State: "completed" }),
    ]);
    const tags = (await awsCli(sim, [
      "ec2",
      "describe-tags",
      "--filters",
      `Name=resource-id,Values=${created.VolumeId}`,
    ])) as {
      Tags: { Key: string; ResourceType: string }[];
    };
    expect(tags.Tags).toEqual([expect.objectContaining({ Key: "cli", ResourceType: "volume" })]);
    expect(
      await awsCliError(sim, ["ec2", "delete-volume", "--volume-id", "vol-00000000000000000"]),
    ).toContain("InvalidVolume.NotFound");
  });
});

describe("describe-volumes through the AWS CLI's defaults", () => {
  it("answers the CLI's default MaxResults of 1000 rather than refusing it", async () => {
    const local = await startSim();
    try {
      const out = (await awsCli(local, ["ec2", "describe-volumes"])) as { Volumes: unknown[] };
      expect(out.Volumes).toEqual([]);
    } finally {
      await local.stop();
    }
  });
});
