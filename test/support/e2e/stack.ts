// The whole release path in the local region, as the demo and the e2e tests use it: a registry with
// a busybox httpd image, the agent executable served for cloud-init, a release host running
// `asg-release-server init` and the daemon, and an Auto Scaling group of full instances whose agent
// boots them from the server's pointer and serves /release/www.
import { CreateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import {
  CreateLaunchTemplateCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeAvailabilityZonesCommand,
  DescribeSubnetsCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { chmod, copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEBIAN_12_AMI } from "../../../sim/services/ec2/seed.js";
import { agentExecutable } from "../agent-build.js";
import type { BusyboxImage } from "../busybox-image.js";
import type { Registry } from "../registry.js";
import { testImage } from "../test-image.js";
import { renderTemplate, serveAgent, type FileServer } from "../agent-fleet.js";
import {
  describeGroup,
  hostOf,
  KEY_NAME,
  startFleet,
  waitInService,
  type Fleet,
  type Host,
} from "./fleet.js";
import { runInit, startServer, type ServerPaths, type ServerProcess } from "./server-process.js";

export const PORT = 8700;

export interface StackOptions {
  prefix: string;
  project?: string;
  group: string;
  size: number;
  /** Extra daemon arguments (e.g. a short scheduled reconcile for tests). */
  serverArgs?: string[];
  reconcileDeadlineSeconds?: number;
  /** The watcher's debounce (300 ms by default). */
  debounceMs?: number;
  say?: (line: string) => void;
  /** A VPC of its own with a subnet per zone, instead of the default VPC. */
  vpc?: boolean;
  /** Called as soon as the region runs, before the stack is complete (diagnostics). */
  onFleet?: (fleet: Fleet) => void;
}

export interface Stack {
  fleet: Fleet;
  project: string;
  group: string;
  registry: Registry;
  image: BusyboxImage;
  agent: FileServer;
  releaseHost: Host;
  paths: ServerPaths;
  /** The watched tree, on the machine (the same path inside the release host). */
  source: string;
  apiUrl: string;
  tokenFile: string;
  server: ServerProcess;
  restartServer(): Promise<ServerProcess>;
  stop(): Promise<void>;
}

export async function startStack(o: StackOptions): Promise<Stack> {
  const say = o.say ?? (() => {});
  const project = o.project ?? "shop";
  say("starting a registry with a busybox httpd image, and building the agent if its source changed");
  const [{ registry, image }, agentBin] = await Promise.all([testImage(), agentExecutable()]);
  say("starting the local region (full hosts)");
  const fleet = await startFleet(o.prefix, { insecureRegistries: [registry.host] });
  o.onFleet?.(fleet);
  const agent = await serveAgentCopy(agentBin, fleet.dir);
  const stops: (() => Promise<void>)[] = [() => registry.stop(), () => agent.close()];
  try {
    const source = join(fleet.dir, "src");
    await mkdir(join(source, "www"), { recursive: true });
    await writeFile(join(source, "www", "index.html"), "release 1\n");

    const subnets = o.vpc ? await createNetwork(fleet, say) : await defaultSubnets(fleet);
    say("launching the release host");
    const launched = await fleet.aws.ec2.send(
      new RunInstancesCommand({
        ImageId: DEBIAN_12_AMI,
        InstanceType: "t3.micro",
        MinCount: 1,
        MaxCount: 1,
        KeyName: KEY_NAME,
        SubnetId: subnets[0],
      }),
    );
    const releaseHost = await hostOf(fleet, launched.Instances?.[0]?.InstanceId ?? "");
    const apiUrl = `http://${releaseHost.privateIp}:${PORT}`;
    const paths = { config: "/etc/asg-release/server.yaml", stateDir: "/var/lib/asg-release-server" };
    const tokenFile = join(fleet.dir, "token");
    await writeFile(tokenFile, `${"t".repeat(8)}-${Date.now()}-demo-token\n`);
    await chmod(tokenFile, 0o600);
    await mkdir(join(releaseHost.rootDir, "etc/asg-release"), { recursive: true });
    await writeFile(
      join(releaseHost.rootDir, paths.config),
      serverConfig({
        project,
        source,
        group: o.group,
        keyPath: fleet.keyPath,
        ip: releaseHost.privateIp,
        tokenFile,
        deadline: o.reconcileDeadlineSeconds ?? 180,
        debounceMs: o.debounceMs ?? 300,
      }),
    );

    say("asg-release-server init on the release host");
    const init = await runInit(fleet, releaseHost, paths);
    if (init.exitCode !== 0)
      throw new Error(`asg-release-server init failed (${init.exitCode}): ${init.output}`);
    for (const line of init.output.split("\n").filter((l) => l && !/^\d+$/.test(l))) say(`  ${line}`);

    say("starting the release server daemon");
    let server = await startServer(fleet, releaseHost, paths, apiUrl, o.serverArgs);
    await waitForRelease(apiUrl);

    say(`creating Auto Scaling group ${o.group} with ${o.size} instances running the agent`);
    await createAgentGroup(fleet, {
      name: o.group,
      size: o.size,
      subnets,
      userData: await agentUserData({ agent, apiUrl, image: image.ref, project }),
    });

    return {
      fleet,
      project,
      group: o.group,
      registry,
      image,
      agent,
      releaseHost,
      paths,
      source,
      apiUrl,
      tokenFile,
      get server() {
        return server;
      },
      async restartServer() {
        server = await startServer(fleet, releaseHost, paths, apiUrl, o.serverArgs);
        return server;
      },
      async stop() {
        await server.stop().catch(() => undefined);
        await fleet.stop();
        for (const s of stops) await s().catch(() => undefined);
      },
    };
  } catch (err) {
    await fleet.stop().catch(() => undefined);
    for (const s of stops) await s().catch(() => undefined);
    throw err;
  }
}

/**
 * Serves a private copy of the agent executable, in the fleet's folder: the build cache may drop an
 * old entry while a long-lived stack (the demo) still serves it.
 */
async function serveAgentCopy(bin: string, dir: string): Promise<FileServer> {
  const copy = join(dir, "asg-release-agent");
  await copyFile(bin, copy);
  await chmod(copy, 0o755);
  return serveAgent(copy);
}

/** Waits until the server's pointer names a release (the daemon's first publish). */
export async function waitForRelease(apiUrl: string): Promise<void> {
  const { waitUntil } = await import("./fleet.js");
  await waitUntil(
    "a published release",
    async () => ((await fetch(`${apiUrl}/snap.txt`).catch(() => undefined))?.ok ? true : undefined),
    120_000,
  );
}

function serverConfig(c: {
  project: string;
  source: string;
  group: string;
  keyPath: string;
  ip: string;
  tokenFile: string;
  deadline: number;
  debounceMs: number;
}): string {
  return `project: ${c.project}
source: ${c.source}
release: { mount_path: /release, size: 1, device: /dev/sdk }
watch: { ignore: [".git/", "*.swp"], debounce_ms: ${c.debounceMs} }
targets: { asg_names: [${c.group}] }
ssh: { user: root, key: ${c.keyPath}, known_hosts: /var/lib/asg-release-server/known_hosts }
fanout: { concurrency: 8, instance_timeout: 60, reconcile_deadline: ${c.deadline} }
retention: 3
listen: { address: ${c.ip}, port: ${PORT} }
token_file: ${c.tokenFile}
`;
}

/**
 * cloud-init/agent.yaml filled in for this fleet: the agent installed from the test's file server,
 * the pointer from the release server, /release mounted read-only (the default; a push remounts it
 * read-write while it writes), a busybox httpd serving /release/www on the instance's own address.
 */
export async function agentUserData(t: {
  agent: FileServer;
  apiUrl: string;
  image: string;
  project: string;
}): Promise<string> {
  return renderTemplate({
    agent: t.agent,
    pointerUrl: t.apiUrl,
    image: t.image,
    start: true,
    project: t.project,
    pointerTimeout: 60,
    readinessTimeout: 120,
  });
}

async function createAgentGroup(
  fleet: Fleet,
  g: { name: string; size: number; subnets: string[]; userData: string },
): Promise<void> {
  const lt = await fleet.aws.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: g.name,
      LaunchTemplateData: {
        ImageId: DEBIAN_12_AMI,
        InstanceType: "t3.micro",
        KeyName: KEY_NAME,
        UserData: Buffer.from(g.userData).toString("base64"),
      },
    }),
  );
  await fleet.aws.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: g.name,
      LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplate?.LaunchTemplateId, Version: "$Latest" },
      MinSize: 0,
      MaxSize: 30,
      DesiredCapacity: g.size,
      VPCZoneIdentifier: g.subnets.join(","),
      LifecycleHookSpecificationList: [
        {
          LifecycleHookName: "release-ready",
          LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
          HeartbeatTimeout: 600,
        },
      ],
    }),
  );
  // Shorter than the e2e hook timeout, so a stack that cannot come up cleans up after itself.
  await waitInService(fleet, g.name, g.size, 200_000).catch(async (err: unknown) => {
    throw new Error(`${(err as Error).message}\n${await describeGroup(fleet, g.name, 30)}`);
  });
}

async function defaultSubnets(fleet: Fleet): Promise<string[]> {
  const out = await fleet.aws.ec2.send(new DescribeSubnetsCommand({}));
  return (out.Subnets ?? []).filter((s) => s.DefaultForAz).map((s) => s.SubnetId ?? "");
}

/** A VPC with one subnet per availability zone; returns the subnet ids. */
async function createNetwork(fleet: Fleet, say: (line: string) => void): Promise<string[]> {
  const { ec2 } = fleet.aws;
  const vpc = await ec2.send(
    new CreateVpcCommand({
      CidrBlock: "10.20.0.0/16",
      TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: "asg-release-demo" }] }],
    }),
  );
  const vpcId = vpc.Vpc?.VpcId ?? "";
  const zones = (await ec2.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones ?? [];
  const subnets: string[] = [];
  for (const [i, z] of zones.entries()) {
    const sn = await ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.20.${i}.0/24`, AvailabilityZone: z.ZoneName }),
    );
    subnets.push(sn.Subnet?.SubnetId ?? "");
  }
  say(`created VPC ${vpcId} with ${subnets.length} subnets (${zones.map((z) => z.ZoneName).join(", ")})`);
  return subnets;
}

/** What an instance's httpd serves from /release/www/index.html ("" when it does not answer). */
export function served(host: { privateIp: string }): Promise<string> {
  return fetch(`http://${host.privateIp}:8080/index.html`).then(
    (r) => (r.ok ? r.text() : ""),
    () => "",
  );
}
