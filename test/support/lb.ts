// Helpers for the load balancer and S3 conformance tests: light instances launched through EC2,
// a tiny HTTP server on an instance's own 127.x address for the health checks to reach, driving
// the sim clock until the probes it started have answered, and the AWS CLI's plain-text output.
import { DescribeInstancesCommand, DescribeSubnetsCommand, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import type { AwsClients } from "#shared/aws/clients.js";
import type { SimHandle } from "../../sim/index.js";
import { DEBIAN_12_AMI } from "../../sim/services/ec2/seed.js";
import { healthMonitor } from "../../sim/services/health/monitor.js";

const run = promisify(execFile);

export interface Subnets {
  vpcId: string;
  /** default subnet id per zone */
  byZone: Record<string, string>;
}

export async function defaultSubnets(aws: AwsClients): Promise<Subnets> {
  const out = await aws.ec2.send(
    new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }),
  );
  const subnets = out.Subnets ?? [];
  return {
    vpcId: subnets[0]?.VpcId ?? "",
    byZone: Object.fromEntries(subnets.map((s) => [s.AvailabilityZone ?? "", s.SubnetId ?? ""])),
  };
}

export interface Launched {
  instanceId: string;
  privateIp: string;
  zone: string;
}

/** A light instance in `subnetId`, once running (the sim clock is advanced past the pending delay). */
export async function launch(sim: SimHandle, aws: AwsClients, subnetId: string): Promise<Launched> {
  const out = await aws.ec2.send(
    new RunInstancesCommand({
      ImageId: DEBIAN_12_AMI,
      InstanceType: "t3.micro",
      MinCount: 1,
      MaxCount: 1,
      SubnetId: subnetId,
    }),
  );
  const instance = out.Instances?.[0];
  await sim.advanceClock(1000);
  const described = await aws.ec2.send(
    new DescribeInstancesCommand({ InstanceIds: [instance?.InstanceId ?? ""] }),
  );
  const running = described.Reservations?.[0]?.Instances?.[0];
  if (running?.State?.Name !== "running")
    throw new Error(`instance did not start: ${JSON.stringify(running?.State)}`);
  return {
    instanceId: running.InstanceId ?? "",
    privateIp: running.PrivateIpAddress ?? "",
    zone: running.Placement?.AvailabilityZone ?? "",
  };
}

export interface HealthServer {
  port: number;
  /** Status the server answers with from now on; "hang" accepts and never answers. */
  answer(status: number | "hang"): void;
  /** Paths requested so far. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** An HTTP server on `ip` (any 127.x address is local on Linux), on a free port. */
export async function serveHealth(ip: string): Promise<HealthServer> {
  let status: number | "hang" = 200;
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? "");
    if (status === "hang") return;
    res.writeHead(status, { "content-type": "text/plain" });
    res.end("ok\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, ip, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    answer: (s) => {
      status = s;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Advances the sim clock by `ms` and waits for the health checks that started to answer. */
export async function tick(sim: SimHandle, ms: number): Promise<void> {
  await sim.advanceClock(ms);
  await healthMonitor(sim.sim).settled();
}

/** Makes the sim probe a light instance for real (light instances are assumed healthy by default). */
export async function probeForReal(sim: SimHandle, instanceId: string): Promise<void> {
  const res = await fetch(`${sim.endpoint}/_sim/health/override`, {
    method: "PUT",
    body: JSON.stringify({ instanceId, probe: true }),
  });
  if (!res.ok) throw new Error(`override failed: ${res.status} ${await res.text()}`);
}

/** Runs the AWS CLI against the sim and returns its plain output (for `aws s3 …`). */
export async function awsText(sim: SimHandle, args: string[], cwd?: string): Promise<string> {
  const { stdout } = await run("aws", ["--endpoint-url", sim.endpoint, ...args], {
    cwd,
    env: {
      ...process.env,
      ...sim.env(),
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    },
  });
  return stdout;
}

/** The error an SDK call fails with. */
export async function failure(
  p: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("expected the call to fail");
}
