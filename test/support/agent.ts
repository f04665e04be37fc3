// Support for the agent's integration tests: a release snapshot in the sim, an HTTP(S) release pointer
// that can sign,
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
import type { KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
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
import type { PointerFields, ReleasePointer } from "#shared/release/pointer.js";
import { generateSigningKeyPair, privateKeyFrom, signPointer } from "#shared/release/pointer-signature.js";
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

/** An answer of the test's own making (a dripping body, say). */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A release server as far as the agent sees it: /v1/release and /snap.txt, answers set by the test,
 * over HTTPS when given a certificate. It has a signing key of its own, for signed pointers.
 */
export interface PointerServer {
  url: string;
  set(routes: Record<string, [number, string] | RouteHandler>): void;
  /** The public key as agent.yaml's pointer.public_key takes it. */
  publicKey: string;
  /** Signs these fields with the server's key (or `key`), the next sequence unless given. */
  sign(fields: Omit<PointerFields, "sequence"> & { sequence?: number }, key?: KeyObject): ReleasePointer;
  close(): Promise<void>;
}

/** Points the server's /v1/release at a release, signed, as the release server does after a publish. */
export function pointTo(pointer: PointerServer, releaseId: string, snapshotId: string, imageDigest?: string) {
  const doc = pointer.sign({
    releaseId,
    snapshotId,
    treeHash: treeHashOf(releaseId),
    time: new Date().toISOString(),
    ...(imageDigest ? { imageDigest } : {}),
  });
  pointer.set({ "/v1/release": [200, JSON.stringify(doc)] });
}

export async function startPointerServer(
  o: { tls?: { cert: string; key: string } } = {},
): Promise<PointerServer> {
  let routes: Record<string, [number, string] | RouteHandler> = {};
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const route = routes[req.url ?? ""] ?? [404, "not found"];
    if (typeof route === "function") return route(req, res);
    const [status, body] = route;
    res.writeHead(status, { "content-type": "text/plain" }).end(body);
  };
  const server: Server = o.tls ? createHttpsServer(o.tls, handle) : createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const pair = generateSigningKeyPair();
  const own = privateKeyFrom(pair.privatePem);
  let sequence = 0;
  return {
    url: `${o.tls ? "https" : "http"}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    set: (r) => {
      routes = r;
    },
    publicKey: pair.publicRaw,
    sign: (fields, key = own) => {
      sequence = Math.max(sequence, fields.sequence ?? sequence + 1);
      return signPointer({ ...fields, sequence: fields.sequence ?? sequence }, key);
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
