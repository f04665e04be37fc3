// Support for the agent's integration tests: a release snapshot in the sim, an HTTP release pointer,
// an IMDS endpoint for a sim instance (the sim's own IMDS server), and boot() run in-process with
// real SDK clients pointed at the sim.
import {
  CreateSnapshotCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  DescribeInstancesCommand,
  waitUntilSnapshotCompleted,
  waitUntilVolumeAvailable,
} from "@aws-sdk/client-ec2";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { boot } from "../../agent/boot.js";
import { defaultHostPaths, type HostPaths } from "../../agent/context.js";
import type { AgentStatus } from "../../agent/state.js";
import { createImds } from "#shared/aws/imds.js";
import { createAwsClients, type AwsClients } from "#shared/aws/clients.js";
import { parseAgentConfig } from "#shared/config/agent.js";
import { createLogger } from "#shared/log.js";
import { systemClock } from "#shared/poll.js";
import { PROJECT_TAG, RELEASE_ID_TAG, TREE_HASH_TAG } from "#shared/release/tags.js";
import { run } from "#shared/proc/run.js";
import type { SimHandle } from "../../sim/index.js";
import { startImdsServer, type ImdsServer } from "../../sim/hosts/imds/server.js";
import { freeLoopbackIp } from "./loopback.js";

export const PROJECT = "shop";
export const treeHashOf = (releaseId: string) =>
  Buffer.from(releaseId.padEnd(32, "0")).toString("hex").slice(0, 64);

/** A completed snapshot tagged as release `releaseId` of PROJECT (light volumes: no content). */
export async function releaseSnapshot(
  sim: SimHandle,
  aws: AwsClients,
  releaseId: string,
  opts: { tags?: boolean; volumeId?: string; wait?: boolean } = {},
): Promise<string> {
  const volumeId =
    opts.volumeId ??
    (await aws.ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${sim.region}a`, Size: 1 }))).VolumeId!;
  await waitUntilVolumeAvailable(
    { client: aws.ec2, maxWaitTime: 30, minDelay: 0.1, maxDelay: 1 },
    { VolumeIds: [volumeId] },
  );
  const snap = await aws.ec2.send(new CreateSnapshotCommand({ VolumeId: volumeId }));
  if (opts.tags !== false) {
    await aws.ec2.send(
      new CreateTagsCommand({
        Resources: [snap.SnapshotId!],
        Tags: [
          { Key: PROJECT_TAG, Value: PROJECT },
          { Key: RELEASE_ID_TAG, Value: releaseId },
          { Key: TREE_HASH_TAG, Value: treeHashOf(releaseId) },
        ],
      }),
    );
  }
  if (opts.wait !== false) {
    await waitUntilSnapshotCompleted(
      { client: aws.ec2, maxWaitTime: 30, minDelay: 0.1, maxDelay: 1 },
      { SnapshotIds: [snap.SnapshotId!] },
    );
  }
  return snap.SnapshotId!;
}

/** POSTs to one of the sim's control routes. */
export async function simControl(
  sim: SimHandle,
  path: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${sim.endpoint}${path}`, { method: "POST", body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}: ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** A release server as far as the agent sees it: /v1/release and /snap.txt, answers set by the test. */
export interface PointerServer {
  url: string;
  set(routes: Record<string, [number, string]>): void;
  close(): Promise<void>;
}

/** Points the server's /v1/release at a release, as the release server does after a publish. */
export function pointTo(pointer: PointerServer, releaseId: string, snapshotId: string, imageDigest?: string) {
  pointer.set({
    "/v1/release": [
      200,
      JSON.stringify({
        releaseId,
        snapshotId,
        treeHash: treeHashOf(releaseId),
        time: new Date().toISOString(),
        ...(imageDigest ? { imageDigest } : {}),
      }),
    ],
  });
}

export async function startPointerServer(): Promise<PointerServer> {
  let routes: Record<string, [number, string]> = {};
  const server: Server = createServer((req, res) => {
    const [status, body] = routes[req.url ?? ""] ?? [404, "not found"];
    res.writeHead(status, { "content-type": "text/plain" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    set: (r) => {
      routes = r;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The sim's IMDS server for a (light) sim instance, on an address of its own. */
export async function imdsFor(sim: SimHandle, aws: AwsClients, instanceId: string): Promise<ImdsServer> {
  const out = await aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  const i = out.Reservations?.[0]?.Instances?.[0];
  if (!i) throw new Error(`no instance ${instanceId}`);
  const ip = await freeLoopbackIp();
  return startImdsServer(
    ip,
    () => ({
      instanceId,
      privateIp: ip,
      hostname: `ip-${ip.replaceAll(".", "-")}.ec2.internal`,
      data: {
        region: sim.region,
        availabilityZone: i.Placement?.AvailabilityZone ?? `${sim.region}a`,
        accountId: sim.accountId,
        imageId: i.ImageId ?? "ami-0sim",
        instanceType: i.InstanceType ?? "t3.micro",
        mac: "0e:00:00:00:00:09",
        vpcId: i.VpcId ?? "vpc-0sim",
        subnetId: i.SubnetId ?? "subnet-0sim",
      },
    }),
    { port: 0 },
  );
}

export interface InProcessBoot {
  status?: AgentStatus;
  error?: Error;
  logs: Record<string, unknown>[];
}

/** Runs boot() in this process against the sim, with the given agent.yaml text. */
export async function bootInProcess(
  sim: SimHandle,
  imdsEndpoint: string,
  configYaml: string,
  paths: HostPaths = defaultHostPaths,
  /** The agent's AWS credentials: the region's administrator unless given (e.g. instance role credentials). */
  credentials: { accessKeyId: string; secretAccessKey: string } = sim.credentials,
): Promise<InProcessBoot> {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split("\n"))
        if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const config = parseAgentConfig("agent.yaml", configYaml);
  try {
    const status = await boot(
      {
        config,
        log: createLogger({ name: "agent-test", destination: sink }),
        run,
        clock: systemClock,
        paths,
      },
      {
        imds: createImds({ endpoint: imdsEndpoint }),
        makeAws: (region) =>
          createAwsClients({ region, endpoint: sim.endpoint, credentials, maxAttempts: 2 }),
      },
    );
    return { status, logs: lines };
  } catch (err) {
    return { error: err as Error, logs: lines };
  }
}
