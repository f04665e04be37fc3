// A local region with full hosts for the release path's integration and e2e tests: an ssh key
// imported as a key pair, a release host with its release volume attached and mounted, and Auto
// Scaling groups of real hosts.
import {
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import {
  AttachVolumeCommand,
  CreateLaunchTemplateCommand,
  CreateVolumeCommand,
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  ImportKeyPairCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { mkdir, readFile } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { createAwsClients, type AwsClients } from "#shared/aws/clients.js";
import { loadEnvironment } from "#shared/config/environment.js";
import { parseSource } from "#shared/config/load.js";
import { poll } from "#shared/poll.js";
import { run } from "#shared/proc/run.js";
import {
  MANAGED_BY_SERVER,
  MANAGED_BY_TAG,
  PROJECT_TAG,
  ROLE_RELEASE_VOLUME,
  ROLE_TAG,
} from "#shared/release/tags.js";
import { rolePolicy } from "../../../release-server/iam/generate.js";
import { startSim, type SimHandle, type StartSimOptions } from "../../../sim/index.js";
import { nsenterShArgv } from "../../../sim/hosts/full/holder.js";
import { reclaimStateDir } from "../../../sim/hosts/reclaim.js";
import { DEBIAN_12_AMI } from "../../../sim/services/ec2/seed.js";
import { makeStateDir } from "../state-dir.js";
import { simClients } from "../sim.js";

export const KEY_NAME = "release";

export interface Fleet {
  sim: SimHandle;
  aws: AwsClients;
  dir: string;
  keyPath: string;
  publicKey: string;
  /** Run before the sim stops (unmounts on the machine). */
  cleanups: (() => Promise<void>)[];
  stop(): Promise<void>;
}

export async function startFleet(prefix: string, opts: Partial<StartSimOptions> = {}): Promise<Fleet> {
  const { delays, ...rest } = opts;
  const dir = await makeStateDir(prefix);
  const sim = await startSim({
    stateDir: join(dir, "sim"),
    hostKind: "full",
    // opts.delays add to these or override them.
    delays: {
      instancePendingMs: 50,
      instanceShutdownMs: 50,
      volumeCreateMs: 20,
      volumeAttachMs: 20,
      snapshotMs: 100,
      asgReconcileMs: 100,
      ...delays,
    },
    ...rest,
  });
  const aws = simClients(sim);
  await mkdir(join(dir, "ssh"), { recursive: true });
  const keyPath = join(dir, "ssh", "id_ed25519");
  await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "asg-release", "-f", keyPath]);
  const publicKey = (await readFile(`${keyPath}.pub`, "utf8")).trim();
  await aws.ec2.send(
    new ImportKeyPairCommand({ KeyName: KEY_NAME, PublicKeyMaterial: Buffer.from(publicKey) }),
  );
  const cleanups: (() => Promise<void>)[] = [];
  return {
    sim,
    aws,
    dir,
    keyPath,
    publicKey,
    cleanups,
    stop: async () => {
      for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
      aws.destroy();
      await sim.stop();
      await reclaimStateDir(dir);
    },
  };
}

/** Waits for `check` to return a value (not undefined), polling every 100 ms up to `maxWaitMs`. */
export function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined>,
  maxWaitMs = 60_000,
): Promise<T> {
  return poll<T>(
    async () => {
      const v = await check();
      return v === undefined ? { state: "RETRY", reason: "not yet" } : { state: "SUCCESS", value: v };
    },
    { what, maxWaitMs, minDelayMs: 100, maxDelayMs: 500 },
  );
}

export interface Host {
  instanceId: string;
  privateIp: string;
  holderPid: number;
  /** The host's root as the machine sees it. */
  rootDir: string;
  sh(script: string): Promise<string>;
}

/** The running host of a full instance, from the record the sim keeps for it. */
export async function hostOf(fleet: Fleet, instanceId: string): Promise<Host> {
  const record = await waitUntil(`host of ${instanceId}`, async () => {
    try {
      return JSON.parse(
        await readFile(join(fleet.sim.stateDir, "hosts", instanceId, "host.json"), "utf8"),
      ) as {
        privateIp: string;
        holderPid: number;
      };
    } catch {
      return undefined;
    }
  });
  return {
    instanceId,
    privateIp: record.privateIp,
    holderPid: record.holderPid,
    rootDir: `/proc/${record.holderPid}/root`,
    sh: async (script) => (await run(nsenterShArgv(record.holderPid, script))).stdout.trim(),
  };
}

export interface ReleaseHost extends Host {
  availabilityZone: string;
  volumeId: string;
  /**
   * The release volume mounted on the machine too (the same loop device, so the same filesystem as
   * the host's /release), for a release server running in the test process. Not the path through
   * /proc/PID/root: rsync resolves such a destination outside the host's mount namespace.
   */
  mountPath: string;
  loopDevice: string;
}

/** An instance with an ext4 release volume (tagged as the project's) mounted at /release. */
/**
 * Resolves once the host's sshd accepts connections: an instance runs (and, without a launch hook,
 * is InService) a moment before its sshd is up, as on EC2.
 */
export function waitForSshd(host: { privateIp: string }, maxWaitMs = 60_000): Promise<true> {
  const answers = () =>
    new Promise<true | undefined>((resolve) => {
      const socket = connect({ host: host.privateIp, port: 22 });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(undefined));
    });
  return waitUntil(`sshd on ${host.privateIp}`, answers, maxWaitMs);
}

export async function bootReleaseHost(fleet: Fleet, project: string): Promise<ReleaseHost> {
  const { ec2 } = fleet.aws;
  const out = await ec2.send(
    new RunInstancesCommand({
      ImageId: DEBIAN_12_AMI,
      InstanceType: "t3.micro",
      MinCount: 1,
      MaxCount: 1,
      KeyName: KEY_NAME,
    }),
  );
  const instanceId = out.Instances?.[0]?.InstanceId ?? "";
  const az = await waitUntil(`${instanceId} running`, async () => {
    const d = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const i = d.Reservations?.[0]?.Instances?.[0];
    return i?.State?.Name === "running" ? i.Placement?.AvailabilityZone : undefined;
  });
  const vol = await ec2.send(
    new CreateVolumeCommand({
      AvailabilityZone: az,
      Size: 1,
      VolumeType: "gp3",
      TagSpecifications: [
        {
          ResourceType: "volume",
          Tags: [
            { Key: ROLE_TAG, Value: ROLE_RELEASE_VOLUME },
            { Key: PROJECT_TAG, Value: project },
            { Key: MANAGED_BY_TAG, Value: MANAGED_BY_SERVER },
          ],
        },
      ],
    }),
  );
  const volumeId = vol.VolumeId ?? "";
  await waitVolume(fleet.aws, volumeId, "available");
  await ec2.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: "/dev/sdf" }));
  await waitVolume(fleet.aws, volumeId, "in-use");
  const host = await hostOf(fleet, instanceId);
  await waitUntil("the release volume's device", async () =>
    (await host.sh("test -b /dev/sdf && echo y || true")) === "y" ? true : undefined,
  );
  await host.sh("mkfs.ext4 -q -L code_release /dev/sdf && mkdir -p /release && mount /dev/sdf /release");
  const record = JSON.parse(
    await readFile(join(fleet.sim.stateDir, "hosts", instanceId, "host.json"), "utf8"),
  ) as { loopDevices: { volumeId: string; device: string }[] };
  const loopDevice = record.loopDevices.find((l) => l.volumeId === volumeId)?.device ?? "";
  const mountPath = join(fleet.dir, `mnt-${volumeId}`);
  await mkdir(mountPath, { recursive: true });
  await run(["mount", loopDevice, mountPath]);
  fleet.cleanups.push(async () => {
    await run(["fsfreeze", "--unfreeze", mountPath]).catch(() => undefined);
    await run(["umount", mountPath]);
  });
  return { ...host, availabilityZone: az, volumeId, mountPath, loopDevice };
}

async function waitVolume(aws: AwsClients, volumeId: string, state: string): Promise<void> {
  await waitUntil(`${volumeId} ${state}`, async () => {
    const d = await aws.ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }));
    return d.Volumes?.[0]?.State === state ? true : undefined;
  });
}

/** A launch template and an Auto Scaling group of `desired` full instances in every AZ. */
export async function createGroup(
  fleet: Fleet,
  name: string,
  desired: number,
  opts: { userData?: string; tags?: Record<string, string> } = {},
): Promise<void> {
  const subnets = await fleet.aws.ec2.send(new DescribeSubnetsCommand({}));
  const lt = await fleet.aws.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: `${name}-lt`,
      LaunchTemplateData: {
        ImageId: DEBIAN_12_AMI,
        InstanceType: "t3.micro",
        KeyName: KEY_NAME,
        ...(opts.userData ? { UserData: Buffer.from(opts.userData).toString("base64") } : {}),
      },
    }),
  );
  await fleet.aws.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplate?.LaunchTemplateId, Version: "$Latest" },
      MinSize: 0,
      MaxSize: 50,
      DesiredCapacity: desired,
      VPCZoneIdentifier: (subnets.Subnets ?? []).map((s) => s.SubnetId).join(","),
      ...(opts.tags
        ? { Tags: Object.entries(opts.tags).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: true })) }
        : {}),
    }),
  );
  await waitInService(fleet, name, desired);
}

export async function scaleGroup(fleet: Fleet, name: string, desired: number, wait = true): Promise<void> {
  await fleet.aws.autoscaling.send(
    new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, DesiredCapacity: desired }),
  );
  if (wait) await waitInService(fleet, name, desired);
}

export async function groupInstances(
  fleet: Fleet,
  name: string,
): Promise<{ instanceId: string; state: string }[]> {
  const out = await fleet.aws.autoscaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
  );
  return (out.AutoScalingGroups?.[0]?.Instances ?? []).map((i) => ({
    instanceId: i.InstanceId ?? "",
    state: i.LifecycleState ?? "",
  }));
}

export async function waitInService(
  fleet: Fleet,
  name: string,
  count: number,
  maxWaitMs = 120_000,
): Promise<string[]> {
  return waitUntil(
    `${count} InService in ${name}`,
    async () => {
      const members = await groupInstances(fleet, name);
      const ids = members.filter((m) => m.state === "InService").map((m) => m.instanceId);
      return members.length === count && ids.length === count ? ids : undefined;
    },
    maxWaitMs,
  );
}

/** Members of a group with their lifecycle state and the tail of their console, for failed tests. */
export async function describeGroup(fleet: Fleet, name: string, lines = 15): Promise<string> {
  const { GetConsoleOutputCommand } = await import("@aws-sdk/client-ec2");
  const out: string[] = [];
  for (const m of await groupInstances(fleet, name)) {
    const console = await fleet.aws.ec2
      .send(new GetConsoleOutputCommand({ InstanceId: m.instanceId }))
      .then((r) => Buffer.from(r.Output ?? "", "base64").toString("utf8"))
      .catch((err: unknown) => String(err));
    out.push(`${m.instanceId} ${m.state}\n${console.trim().split("\n").slice(-lines).join("\n")}`);
  }
  return out.join("\n\n");
}

/**
 * The release host's AWS clients, held by the local region to exactly the generated release-server
 * policy for `project`, with ec2:SourceInstanceARN = the release host (as its role credentials are).
 */
export function serverClients(fleet: Fleet, releaseHostId: string, project: string): AwsClients {
  const { environment } = loadEnvironment([
    parseSource("env.yaml", `vpc: vpc-1\nlaunch_config: {ami: ami-0123456789abcdef0}`).source!,
  ]);
  const policy = rolePolicy("release-server", { environment: environment!, project });
  const credentials = fleet.sim.bindPolicies([policy], {
    "ec2:SourceInstanceARN": `arn:aws:ec2:${fleet.sim.region}:${fleet.sim.accountId}:instance/${releaseHostId}`,
  });
  const aws = createAwsClients({ region: fleet.sim.region, endpoint: fleet.sim.endpoint, credentials });
  fleet.cleanups.push(() => Promise.resolve(aws.destroy()));
  return aws;
}
