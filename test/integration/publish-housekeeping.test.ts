// Against the local region (API-only instances): the S3 pointer's conditional writes between two
// servers, the sweeper of orphaned agent volumes, and forgetting the host keys of gone instances.
import { CreateBucketCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import {
  CreateVolumeCommand,
  DescribeVolumesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PointerStore } from "../../release-server/api/pointer-store.js";
import { S3Pointer } from "../../release-server/api/s3-pointer.js";
import { pruneKnownHosts, sweepVolumes } from "../../release-server/publish/housekeeping.js";
import type { AwsClients } from "#shared/aws/clients.js";
import { silentLogger } from "#shared/log.js";
import { INSTANCE_ID_TAG, MANAGED_BY_AGENT, MANAGED_BY_TAG, PROJECT_TAG } from "#shared/release/tags.js";
import {
  generateSigningKeyPair,
  hasValidSignature,
  privateKeyFrom,
  publicKeyFrom,
} from "#shared/release/pointer-signature.js";
import { parsePointer } from "#shared/release/pointer.js";
import { startSim, type SimHandle } from "../../sim/index.js";
import { DEBIAN_12_AMI } from "../../sim/services/ec2/seed.js";
import { simClients } from "../support/sim.js";

let sim: SimHandle;
let aws: AwsClients;
let dir: string;

beforeAll(async () => {
  sim = await startSim({
    hostKind: "light",
    delays: { instancePendingMs: 10, instanceShutdownMs: 10, volumeCreateMs: 10 },
  });
  aws = simClients(sim);
  dir = await mkdtemp(join(tmpdir(), "housekeeping-"));
});
afterAll(async () => {
  aws?.destroy();
  await sim?.stop();
  await rm(dir, { recursive: true, force: true });
});

const pointer = (n: number) => ({
  releaseId: `r${n}`,
  snapshotId: `snap-0${n}`,
  treeHash: String(n).repeat(64),
  time: `2025-01-0${n}T00:00:00.000Z`,
});

describe("the S3 pointer", () => {
  beforeAll(async () => {
    await aws.s3.send(new CreateBucketCommand({ Bucket: "releases" }));
  });

  it("lets a second server take over the pointer, and refuses a stale writer", async () => {
    const a = new PointerStore(join(dir, "a.json"), new S3Pointer(aws.s3, "releases", "shop/pointer.json"));
    const b = new PointerStore(join(dir, "b.json"), new S3Pointer(aws.s3, "releases", "shop/pointer.json"));
    expect(await a.load()).toBeUndefined();
    expect(await b.load()).toBeUndefined();
    await a.publish(pointer(1));
    // b saw no object; its create-only write must not overwrite a's.
    await expect(b.publish(pointer(2))).rejects.toThrow(
      "another release server changed s3://releases/shop/pointer.json meanwhile (it names r1); not publishing r2 over it",
    );
    expect(b.current()).toBeUndefined();
    // Having seen r1 now, b may publish over it; then a is the stale one.
    await b.publish(pointer(2));
    await expect(a.publish(pointer(3))).rejects.toThrow("(it names r2)");
    // A restarted server loads the newest pointer from S3 over an older local file.
    expect(
      await new PointerStore(
        join(dir, "a.json"),
        new S3Pointer(aws.s3, "releases", "shop/pointer.json"),
      ).load(),
    ).toEqual({ ...pointer(2), sequence: 2 });
  });

  it("is the same signed document as the local file, its sequence past the other server's", async () => {
    const pair = generateSigningKeyPair();
    const c = new PointerStore(
      join(dir, "c.json"),
      new S3Pointer(aws.s3, "releases", "shop/pointer.json"),
      privateKeyFrom(pair.privatePem),
    );
    // c has no local file; the object in S3 is b's sequence 2.
    const published = await c.publish(pointer(4));
    expect(published).toMatchObject({ ...pointer(4), sequence: 3 });
    const object = await aws.s3.send(new GetObjectCommand({ Bucket: "releases", Key: "shop/pointer.json" }));
    const inS3 = parsePointer((await object.Body?.transformToString()) ?? "");
    expect(inS3).toEqual(published);
    expect(JSON.parse(await readFile(join(dir, "c.json"), "utf8"))).toEqual(published);
    expect(hasValidSignature(inS3!, publicKeyFrom(pair.publicRaw))).toBe(true);
  });
});

describe("the sweeper", () => {
  const launch = async () =>
    (
      await aws.ec2.send(
        new RunInstancesCommand({
          ImageId: DEBIAN_12_AMI,
          MinCount: 1,
          MaxCount: 1,
          InstanceType: "t3.micro",
        }),
      )
    ).Instances![0]!.InstanceId!;
  const volume = async (tags: Record<string, string>) =>
    (
      await aws.ec2.send(
        new CreateVolumeCommand({
          AvailabilityZone: `${sim.region}a`,
          Size: 1,
          TagSpecifications: [
            { ResourceType: "volume", Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
          ],
        }),
      )
    ).VolumeId!;
  const agent = (instanceId: string) => ({
    [MANAGED_BY_TAG]: MANAGED_BY_AGENT,
    [INSTANCE_ID_TAG]: instanceId,
    [PROJECT_TAG]: "shop",
  });

  it("deletes available agent volumes whose instance is gone, and nothing else", async () => {
    const [alive, gone] = [await launch(), await launch()];
    await aws.ec2.send(new TerminateInstancesCommand({ InstanceIds: [gone] }));
    const orphan = await volume(agent(gone));
    const kept = await volume(agent(alive));
    const foreign = await volume({ [INSTANCE_ID_TAG]: gone });
    const otherProject = await volume({ ...agent(gone), [PROJECT_TAG]: "blog" });
    await new Promise((r) => setTimeout(r, 100));
    const deleted = await sweepVolumes(aws, silentLogger, "shop");
    expect(deleted).toEqual([{ kind: "delete-volume", volumeId: orphan, instanceId: gone }]);
    const left = (
      await aws.ec2.send(new DescribeVolumesCommand({ VolumeIds: [kept, foreign, otherProject] }))
    ).Volumes;
    expect(left?.map((v) => v.VolumeId).sort()).toEqual([kept, foreign, otherProject].sort());
  });

  it("counts a volume that another sweeper deleted first as deleted, and goes on", async () => {
    const gone = await launch();
    await aws.ec2.send(new TerminateInstancesCommand({ InstanceIds: [gone] }));
    const volumes = [await volume(agent(gone)), await volume(agent(gone))];
    await new Promise((r) => setTimeout(r, 100));
    // The first delete finds the volume gone, as when a deploy's sweep of the group got there first.
    sim.setFault("ec2:DeleteVolume", { failNext: 1, failCode: "InvalidVolume.NotFound" });
    try {
      const deleted = await sweepVolumes(aws, silentLogger, "shop");
      expect(deleted.map((d) => d.volumeId).sort()).toEqual([...volumes].sort());
    } finally {
      sim.setFault("ec2:DeleteVolume", undefined);
    }
  });

  it("forgets the pinned host keys of instances that are gone", async () => {
    const alive = (
      await aws.ec2.send(new RunInstancesCommand({ ImageId: DEBIAN_12_AMI, MinCount: 1, MaxCount: 1 }))
    ).Instances![0]!.InstanceId!;
    const file = join(dir, "known_hosts");
    await writeFile(
      file,
      `${alive} ssh-ed25519 AAAA1\ni-0123456789abcdef0 ssh-ed25519 AAAA2\nrelease.internal ssh-ed25519 AAAA3\n`,
    );
    expect(await pruneKnownHosts(aws, file)).toEqual(["i-0123456789abcdef0"]);
    expect(await readFile(file, "utf8")).toBe(
      `${alive} ssh-ed25519 AAAA1\nrelease.internal ssh-ed25519 AAAA3\n`,
    );
  });
});
