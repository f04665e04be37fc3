// The agent's end-to-end fixtures on a local region with full hosts: release snapshots with a real
// ext4 tree, the agent executable served over HTTP for the cloud-init template to install, the
// template rendered as the deploy path renders it, a group whose members boot it, and the agent run
// inside a host.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { CreateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import {
  CreateLaunchTemplateCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeSubnetsCommand,
  waitUntilSnapshotCompleted,
  waitUntilVolumeAvailable,
} from "@aws-sdk/client-ec2";
import { parseDocument } from "yaml";
import { renderManifest } from "#shared/release/manifest.js";
import { MANIFEST_PATH } from "#shared/release/manifest.js";
import { PROJECT_TAG, RELEASE_ID_TAG, TREE_HASH_TAG } from "#shared/release/tags.js";
import { run } from "#shared/proc/run.js";
import { renderUserData } from "#shared/userdata/render.js";
import { nsenterShArgv } from "../../sim/hosts/full/holder.js";
import { agentExecutable } from "./agent-build.js";
import type { BusyboxImage } from "./busybox-image.js";
import type { Registry } from "./registry.js";
import { testImage } from "./test-image.js";
import { KEY_NAME, startFleet, type Fleet, type Host } from "./e2e/fleet.js";
import { AMI } from "./autoscaling.js";
import { PROJECT, pointTo, startPointerServer, treeHashOf, type PointerServer } from "./agent.js";

const root = join(import.meta.dirname, "..", "..");
export const AGENT_BIN = join(root, "dist", "asg-release-agent");

/** Builds dist/asg-release-agent (tests use agentExecutable(), built once per source tree). */
export async function buildAgent(): Promise<void> {
  await run([process.execPath, join(root, "bin", "build-agent.js")], { timeoutMs: 300_000 });
}

/**
 * A completed, tagged release snapshot whose ext4 tree holds `files` and the release manifest:
 * the volume image is filled with mkfs.ext4 -d, as the release server's volume would be after a sync.
 */
export async function publishRelease(
  fleet: Fleet,
  az: string,
  releaseId: string,
  files: Record<string, string>,
): Promise<string> {
  const { ec2 } = fleet.aws;
  const vol = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: az, Size: 1 }));
  await waitUntilVolumeAvailable(
    { client: ec2, maxWaitTime: 30, minDelay: 0.1, maxDelay: 1 },
    { VolumeIds: [vol.VolumeId!] },
  );
  const tree = join(fleet.dir, `tree-${releaseId}`);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(tree, path, ".."), { recursive: true });
    await writeFile(join(tree, path), content);
  }
  await mkdir(join(tree, MANIFEST_PATH, ".."), { recursive: true });
  await writeFile(
    join(tree, MANIFEST_PATH),
    renderManifest({
      releaseId,
      treeHash: treeHashOf(releaseId),
      project: PROJECT,
      time: new Date().toISOString(),
      files: Object.keys(files).length,
    }),
  );
  const image = join(fleet.sim.stateDir, "volumes", `${vol.VolumeId}.img`);
  await run(["mkfs.ext4", "-q", "-F", "-L", "code_release", "-d", tree, image]);
  await rm(tree, { recursive: true, force: true });
  const snap = await ec2.send(
    new CreateSnapshotCommand({
      VolumeId: vol.VolumeId!,
      TagSpecifications: [
        {
          ResourceType: "snapshot",
          Tags: [
            { Key: PROJECT_TAG, Value: PROJECT },
            { Key: RELEASE_ID_TAG, Value: releaseId },
            { Key: TREE_HASH_TAG, Value: treeHashOf(releaseId) },
          ],
        },
      ],
    }),
  );
  await waitUntilSnapshotCompleted(
    { client: ec2, maxWaitTime: 60, minDelay: 0.1, maxDelay: 1 },
    { SnapshotIds: [snap.SnapshotId!] },
  );
  return snap.SnapshotId!;
}

export interface FileServer {
  url: string;
  sha256: string;
  close(): Promise<void>;
}

/** Serves an agent executable on loopback, as a download site would. */
export async function serveAgent(path: string): Promise<FileServer> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  const size = (await stat(path)).size;
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-length": String(size) });
    createReadStream(path).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/asg-release-agent`,
    sha256: hash.digest("hex"),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A secret in the container's environment: it must reach the container and no command line. */
export const CONTAINER_SECRET = "s3cret-container-token-5a1e";

export interface CloudConfigInput {
  agent: FileServer;
  pointerUrl: string;
  /** Leave the agent for the test to start (the kill tests). */
  start: boolean;
  project?: string;
  /** The pointer server's public key: the agent then takes signed pointers only. */
  publicKey?: string;
  /** Seconds; the defaults suit one group, the whole-stack e2e tests give more. */
  pointerTimeout?: number;
  readinessTimeout?: number;
}

export interface TemplateInput extends CloudConfigInput {
  image: string;
}

/**
 * cloud-init/agent.yaml as an operator would fill it in for this fleet, still holding {{image_id}}
 * for the deploy path to replace (image_id_subst). The sim's hosts share the machine's network, so
 * the service listens on the instance's own address: a first runcmd puts it into the config.
 */
export async function agentCloudConfig(t: CloudConfigInput): Promise<string> {
  const text = await readFile(join(root, "cloud-init", "agent.yaml"), "utf8");
  const doc = parseDocument(text);
  const config = `project: ${t.project ?? PROJECT}
pointer: { url: "${t.pointerUrl}", timeout: ${t.pointerTimeout ?? 30}${t.publicKey ? `, public_key: "${t.publicKey}"` : ""} }
volume: { timeout: 60 }
container:
  image: "{{image_id}}"
  cli: podman
  name: web
  network_host: true
  stop_timeout: 1
  env: { HTTPD_ADDR: "@IP@:8080", HTTPD_ROOT: /release/www, API_TOKEN: ${CONTAINER_SECRET} }
readiness:
  check: { http: { url: "http://@IP@:8080/index.html" } }
  timeout: ${t.readinessTimeout ?? 60}
`;
  doc.setIn(["write_files", 0, "content"], config);
  const install = String(doc.getIn(["write_files", 1, "content"]))
    .replace(/^URL=.*$/m, `URL="${t.agent.url}"`)
    .replace(/^SHA256=.*$/m, `SHA256="${t.agent.sha256}"`);
  doc.setIn(["write_files", 1, "content"], install);
  const ip =
    'T=$(curl -s -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" "$AWS_EC2_METADATA_SERVICE_ENDPOINT/latest/api/token") && ' +
    'IP=$(curl -s -H "X-aws-ec2-metadata-token: $T" "$AWS_EC2_METADATA_SERVICE_ENDPOINT/latest/meta-data/local-ipv4") && ' +
    'sed -i "s/@IP@/$IP/g" /etc/asg-release/agent.yaml';
  const runcmd = doc.get("runcmd") as { items: unknown[] };
  runcmd.items.unshift(doc.createNode(ip));
  if (!t.start) runcmd.items.pop();
  return doc.toString();
}

/** The template with {{image_id}} replaced the way the deploy path does it. */
export async function renderTemplate(t: TemplateInput): Promise<string> {
  const rendered = renderUserData({
    userData: await agentCloudConfig(t),
    imageId: t.image,
    imageIdSubst: "{{image_id}}",
    componentHasOwnLaunchConfig: true,
  });
  if (!rendered.ok) throw new Error(rendered.problem);
  return rendered.text;
}

export interface AgentGroup {
  fleet: Fleet;
  registry: Registry;
  image: BusyboxImage;
  agent: FileServer;
  pointer: PointerServer;
  /** The zone of the group's subnet, where release r1 was published. */
  az: string;
}

export interface AgentGroupOptions {
  /** The prefix of the region's state folder. */
  prefix: string;
  /** The name of the group and of its launch template. */
  group: string;
  /** Whether cloud-init starts the agent; when not, it is installed and configured only. */
  start: boolean;
  maxSize: number;
  desiredCapacity: number;
  /** Of launch hook `release-ready`. */
  heartbeatTimeout: number;
  /** Serves agentExecutable() (built when the tree changed); dist/asg-release-agent otherwise. */
  buildAgent: boolean;
}

/**
 * A full-host region with the busybox httpd image in a registry on loopback (the run's shared one
 * under vitest: test-image.ts), the agent served for
 * cloud-init, release r1 published and named by the pointer, and group `o.group` whose launch
 * template carries cloud-init/agent.yaml and whose members are held by launch hook `release-ready`.
 * Fills `s` as it goes, so that stopAgentGroup(s) stops what was started when a step fails.
 */
export async function startAgentGroup(
  o: AgentGroupOptions,
  s: Partial<AgentGroup> = {},
): Promise<AgentGroup> {
  const [shared, agentBin] = await Promise.all([
    testImage(),
    o.buildAgent ? agentExecutable() : Promise.resolve(AGENT_BIN),
  ]);
  const registry = (s.registry = shared.registry);
  s.image = shared.image;
  const fleet = (s.fleet = await startFleet(o.prefix, { insecureRegistries: [registry.host] }));
  const agent = (s.agent = await serveAgent(agentBin));
  const pointer = (s.pointer = await startPointerServer());
  const subnet = (await fleet.aws.ec2.send(new DescribeSubnetsCommand({}))).Subnets?.[0];
  if (!subnet?.SubnetId || !subnet.AvailabilityZone) throw new Error("the local region has no subnet");
  s.az = subnet.AvailabilityZone;
  pointTo(pointer, "r1", await publishRelease(fleet, s.az, "r1", { "www/index.html": "release r1\n" }));
  const lt = await fleet.aws.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: o.group,
      LaunchTemplateData: {
        ImageId: AMI,
        InstanceType: "t3.micro",
        KeyName: KEY_NAME,
        UserData: Buffer.from(
          await renderTemplate({
            agent,
            pointerUrl: pointer.url,
            publicKey: pointer.publicKey,
            image: s.image.ref,
            start: o.start,
          }),
        ).toString("base64"),
      },
    }),
  );
  await fleet.aws.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: o.group,
      LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplate!.LaunchTemplateId!, Version: "$Latest" },
      MinSize: 0,
      MaxSize: o.maxSize,
      DesiredCapacity: o.desiredCapacity,
      VPCZoneIdentifier: subnet.SubnetId,
      LifecycleHookSpecificationList: [
        {
          LifecycleHookName: "release-ready",
          LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
          HeartbeatTimeout: o.heartbeatTimeout,
        },
      ],
    }),
  );
  return s as AgentGroup;
}

/** Stops what startAgentGroup started, last first. */
export async function stopAgentGroup(s: Partial<AgentGroup>): Promise<void> {
  await s.pointer?.close();
  await s.agent?.close();
  await s.fleet?.stop();
  await s.registry?.stop();
}

export interface AgentRun {
  exitCode: number;
  lines: Record<string, unknown>[];
  killed: boolean;
}

/**
 * Runs `asg-release-agent boot` inside the host. With `killAt`, the agent is killed with SIGKILL as
 * soon as it logs a line with that message (e.g. "volume: done"), as a crash or a power cut would.
 */
export async function runAgentIn(
  fleet: Fleet,
  host: Host,
  opts: { killAt?: string; args?: string[] } = {},
): Promise<AgentRun> {
  const env = {
    PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin",
    ...fleet.sim.env(),
    AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://${host.privateIp}:80`,
    CONTAINERS_CONF: "/etc/containers/containers.conf",
    CONTAINERS_STORAGE_CONF: "/etc/containers/storage.conf",
  };
  const args = (opts.args ?? ["boot"]).map((a) => `'${a}'`).join(" ");
  const [file, ...argv] = nsenterShArgv(
    host.holderPid,
    `echo $$; exec /usr/local/bin/asg-release-agent ${args}`,
  );
  const child = spawn(file, argv, { env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: Record<string, unknown>[] = [];
  let pid: string | undefined;
  let killed = false;
  const stderr: string[] = [];
  child.stderr.on("data", (b: Buffer) => stderr.push(b.toString()));
  const exited = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));
  for await (const line of createInterface({ input: child.stdout })) {
    if (pid === undefined) {
      pid = line.trim();
      continue;
    }
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    lines.push(entry);
    if (opts.killAt && !killed && entry.msg === opts.killAt) {
      killed = true;
      await host.sh(`kill -9 ${pid}`);
    }
  }
  const exitCode = await exited;
  if (!killed && exitCode !== 0 && process.env.AGENT_TEST_DEBUG) process.stderr.write(stderr.join(""));
  return { exitCode, lines, killed };
}
