// EC2 wired to real local hosts: a full instance boots with its key pair, user data and metadata,
// shows its host key in GetConsoleOutput, takes an EBS volume as a Nitro device, and leaves nothing
// behind once terminated and the sim stopped.
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsClients } from "#shared/aws/clients.js";
import { listOwned } from "../../sim/hosts/owned.js";
import type { SimHandle } from "../../sim/index.js";
import { DEBIAN_12_AMI } from "../../sim/services/ec2/seed.js";
import { awsCli } from "../support/sim.js";
import {
  pinConsoleHostKey,
  sshTo,
  startFullSim,
  stopFullSim,
  until,
  opsKeyPair,
} from "../support/sim-ec2-full.js";

const DELAY = 20;
let dir: string;
let sim: SimHandle | undefined;
let aws: AwsClients;

beforeAll(async () => {
  ({ dir, sim, aws } = await startFullSim("sim-ec2-full", {
    instancePendingMs: DELAY,
    instanceShutdownMs: DELAY,
    volumeCreateMs: DELAY,
    volumeAttachMs: DELAY,
  }));
});
afterAll(async () => {
  await stopFullSim({ dir, sim, aws });
});

describe("a full instance", () => {
  it("boots, serves ssh and IMDS, takes a volume, and is gone after termination", async () => {
    const keyPath = await opsKeyPair(aws, dir);
    await awsCli(sim!, ["iam", "create-instance-profile", "--instance-profile-name", "app-role"]);
    const userData =
      '#!/bin/sh\necho "ran on $(hostname) in $AWS_REGION via $AWS_ENDPOINT_URL" > /run/marker\n';
    const run = await aws.ec2.send(
      new RunInstancesCommand({
        ImageId: DEBIAN_12_AMI,
        // The second one is still running when the sim stops.
        MinCount: 2,
        MaxCount: 2,
        KeyName: "ops",
        IamInstanceProfile: { Name: "app-role" },
        UserData: Buffer.from(userData).toString("base64"),
      }),
    );
    const instance = run.Instances![0]!;
    const id = instance.InstanceId!;
    const ip = instance.PrivateIpAddress!;
    await sim!.advanceClock(DELAY);

    const knownHosts = join(dir, "known_hosts");
    await pinConsoleHostKey(aws, { id, ip }, knownHosts);
    const ssh = sshTo(ip, keyPath, knownHosts);

    const marker = await until("user data to run", () =>
      ssh("cat /run/marker 2>/dev/null || true").then((s) => s || undefined),
    );
    expect(marker).toBe(
      `ran on ip-${ip.replaceAll(".", "-")}.ec2.internal in us-east-1 via ${sim!.endpoint}`,
    );

    // IMDSv2 on the instance's own address: identity, placement, role credentials.
    const token = await (
      await fetch(`http://${ip}/latest/api/token`, {
        method: "PUT",
        headers: { "x-aws-ec2-metadata-token-ttl-seconds": "60" },
      })
    ).text();
    const imds = async (path: string) =>
      (
        await fetch(`http://${ip}/latest/meta-data/${path}`, {
          headers: { "x-aws-ec2-metadata-token": token },
        })
      ).text();
    expect(await imds("instance-id")).toBe(id);
    expect(await imds("placement/availability-zone")).toBe(instance.Placement!.AvailabilityZone);
    expect(await imds("iam/security-credentials/")).toBe("app-role");

    // An EBS volume reaches the host as the Nitro by-id device.
    const { VolumeId: volumeId } = await aws.ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: instance.Placement!.AvailabilityZone!, Size: 1 }),
    );
    await sim!.advanceClock(DELAY);
    await aws.ec2.send(new AttachVolumeCommand({ VolumeId: volumeId!, InstanceId: id, Device: "/dev/sdf" }));
    await sim!.advanceClock(DELAY);
    await until("the attachment", async () => {
      const v = (await aws.ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId!] }))).Volumes![0]!;
      return v.Attachments?.[0]?.State === "attached" ? v : undefined;
    });
    const byId = `/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${volumeId!.replace("-", "")}`;
    expect(await ssh(`readlink -f ${byId}`)).toMatch(/^\/dev\/loop\d+$/);

    await aws.ec2.send(new DetachVolumeCommand({ VolumeId: volumeId! }));
    await sim!.advanceClock(DELAY);
    await until("the detachment", async () => {
      const v = (await aws.ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId!] }))).Volumes![0]!;
      return v.State === "available" ? v : undefined;
    });
    expect(await ssh(`test -e ${byId} && echo present || echo absent`)).toBe("absent");

    await aws.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await sim!.advanceClock(DELAY);
    await until("the host to stop", async () => {
      const owned = listOwned(join(dir, "sim", "hosts", id));
      return owned.processes.length === 0 && owned.files.length === 0 ? owned : undefined;
    });
    const other = run.Instances![1]!.InstanceId!;
    expect(listOwned(join(dir, "sim", "hosts", other)).processes.length).toBeGreaterThan(0);
    expect(sim!.sim.backgroundErrors()).toEqual([]);
    await sim!.stop();
    sim = undefined;
    const left = listOwned(dir);
    expect([left.processes, left.mounts, left.loopDevices, left.cgroups]).toEqual([[], [], [], []]);
    expect(existsSync(join(dir, "sim"))).toBe(false);
  });
});
