// The world of the deploy tests with full instances booted by the real agent (test/e2e/deploy-agent*):
// a region of full hosts, the busybox images `good`, `good2` (another tag of the same content) and
// `bad` (runs, never answers), the agent served for cloud-init, release r1 published and named by
// a pointer, and both load balancers. Its env files carry cloud-init/agent.yaml as user_data.
import type { AutoScalingGroup } from "@aws-sdk/client-auto-scaling";
import { DescribeInstancesCommand, DescribeSubnetsCommand, type Instance } from "@aws-sdk/client-ec2";
import { DescribeInstanceHealthCommand } from "@aws-sdk/client-elastic-load-balancing";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import type { AgentStatus } from "../../../agent/state.js";
import { RELEASE_ID_TAG } from "#shared/release/tags.js";
import { reclaimStateDir } from "../../../sim/hosts/reclaim.js";
import { DEBIAN_12_AMI } from "../../../sim/services/ec2/seed.js";
import { agentExecutable } from "../agent-build.js";
import { agentCloudConfig, publishRelease, serveAgent, type FileServer } from "../agent-fleet.js";
import { pointTo, startPointerServer, type PointerServer } from "../agent.js";
import { buildBusyboxImage, type BusyboxImage } from "../busybox-image.js";
import { createLoadBalancers, groupsByName, modelYaml, writeFiles, type DeployWorld } from "../deploy.js";
import { testImage } from "../test-image.js";
import { hostOf, startFleet, type Fleet } from "./fleet.js";

export const PORT = 8080;

type ImageName = "good" | "good2" | "bad";

export interface AgentDeploy {
  world: DeployWorld;
  images: Record<ImageName, BusyboxImage>;
  /** Undefined once a test has stopped the region itself (see `stopped`). */
  fleet: Fleet | undefined;
  /** Set by a test that stopped the sim itself: its state dir, reclaimed after the tests. */
  stopped?: string;
}

/** The env: the agent's cloud-config as user_data, the hook on, and both load balancers mapped. */
function envYaml(vpcId: string, userData: string, extra = ""): string {
  return `region: us-east-1
vpc: ${vpcId}
image_check_type: docker
launch_config:
  ami: ${DEBIAN_12_AMI}
  type: t3.micro
  user_data: |
${userData
  .trimEnd()
  .split("\n")
  .map((l) => `    ${l}`)
  .join("\n")}
image_id_subst: "{{image_id}}"
join_timeout: 120
inst_running_timeout: 30
lifecycle_hook: {heartbeat_timeout: 120}
lb:
  web: {target_group: tg-web, port: ${PORT}}
  api: api-elb
${extra}`;
}

const model = (front: BusyboxImage, frontReplicas: number, back: BusyboxImage) =>
  modelYaml({
    front: { image: front.ref, replicas: frontReplicas },
    back: { image: back.ref, replicas: 1 },
  });

/**
 * Sets the world up before the file's tests (`prefix` names the region's state folder) and stops
 * it after them. The returned object is filled in once it has started.
 */
export function useAgentDeploy(prefix: string): AgentDeploy {
  const t = { images: {} } as AgentDeploy;
  let agent: FileServer | undefined;
  let pointer: PointerServer | undefined;
  beforeAll(async () => {
    const { registry } = await testImage();
    const build = (tag: string, cmd?: string[]) =>
      buildBusyboxImage({ registry, repository: `${prefix}/app`, tag, ...(cmd ? { cmd } : {}) });
    const [good, good2, bad, agentBin] = await Promise.all([
      build("good"),
      build("good2"),
      // Runs, but never answers: what a broken release looks like to the agent's readiness check.
      build("bad", ["/bin/sleep", "3600"]),
      agentExecutable(),
    ]);
    t.images = { good, good2, bad };
    const fleet = (t.fleet = await startFleet(prefix, {
      insecureRegistries: [registry.host],
      delays: { loadBalancerProvisionMs: 50 },
    }));
    const { aws } = fleet;
    agent = await serveAgent(agentBin);
    pointer = await startPointerServer();
    const subnets = (await aws.ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
    const vpcId = subnets[0]!.VpcId!;
    const net = { vpcId, ids: subnets.filter((s) => s.DefaultForAz).map((s) => s.SubnetId!) };
    const snapshotId = await publishRelease(fleet, subnets[0]!.AvailabilityZone!, "r1", {
      "www/index.html": "release r1\n",
    });
    pointTo(pointer, "r1", snapshotId);
    const tgArn = await createLoadBalancers(aws, net, {
      port: PORT,
      classicTarget: `HTTP:${PORT}/index.html`,
      targetGroupPath: "/index.html",
      healthyThreshold: 2,
    });
    const dir = join(fleet.dir, "files");
    await mkdir(dir);
    t.world = {
      sim: fleet.sim,
      aws,
      vpcId,
      subnetIds: net.ids,
      tgArn,
      dir,
      sicken: () => undefined,
      stop: async () => undefined,
    };
    // The agent gives up on a service that does not answer within 10 s and abandons the launch.
    const userData = await agentCloudConfig({
      agent,
      pointerUrl: pointer.url,
      start: true,
      readinessTimeout: 10,
    });
    await writeFiles(t.world, {
      "env.yaml": envYaml(vpcId, userData),
      "env-keep.yaml": envYaml(vpcId, userData, "rollout: {keep_old_slot: 1h}\n"),
      // Long enough for the agent to abandon a launch and the group to replace it, even on a busy
      // machine; the serving paths above wait up to 120 s, and only as long as the boots take.
      "env-fail.yaml": envYaml(vpcId, userData).replace("join_timeout: 120", "join_timeout: 60"),
      "v1.yaml": model(good, 1, good),
      "v1-scaled.yaml": model(good, 2, good),
      "back-bad.yaml": model(good, 2, bad),
      "front-2.yaml": model(good2, 2, good),
    });
  }, 300_000);
  afterAll(async () => {
    await pointer?.close();
    await agent?.close();
    await t.fleet?.stop();
    if (t.stopped) await reclaimStateDir(t.stopped);
  });
  return t;
}

export const byName = (t: AgentDeploy) => groupsByName(t.world.aws);

export const idsOf = (g: AutoScalingGroup | undefined) =>
  (g?.Instances ?? []).map((i) => i.InstanceId!).sort();

export async function instances(t: AgentDeploy, ids: string[]): Promise<Instance[]> {
  const out = await t.world.aws.ec2.send(
    new DescribeInstancesCommand(ids.length ? { InstanceIds: ids } : {}),
  );
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

/** Target group members that are healthy, sorted. */
export async function healthyInTargetGroup(t: AgentDeploy): Promise<string[]> {
  const out = await t.world.aws.elbv2.send(
    new DescribeTargetHealthCommand({ TargetGroupArn: t.world.tgArn }),
  );
  return (out.TargetHealthDescriptions ?? [])
    .filter((d) => d.TargetHealth?.State === "healthy")
    .map((d) => d.Target!.Id!)
    .sort();
}

/** Classic load balancer members InService (the probe passed), sorted. */
export async function inServiceInClassic(t: AgentDeploy): Promise<string[]> {
  const out = await t.world.aws.elb.send(new DescribeInstanceHealthCommand({ LoadBalancerName: "api-elb" }));
  return (out.InstanceStates ?? [])
    .filter((s) => s.State === "InService")
    .map((s) => s.InstanceId!)
    .sort();
}

/** What the instance serves on its own address: the release's file, from /release. */
export async function page(ip: string | undefined): Promise<string> {
  const res = await fetch(`http://${ip}:${PORT}/index.html`, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`${ip}: HTTP ${res.status}`);
  return res.text();
}

/** Every instance serves the release and its agent booted it and completed the launch hook. */
export async function expectBootedByAgent(t: AgentDeploy, ids: string[]): Promise<void> {
  for (const i of await instances(t, ids)) {
    expect(i.Tags).toContainEqual({ Key: RELEASE_ID_TAG, Value: "r1" });
    expect(await page(i.PrivateIpAddress)).toBe("release r1\n");
    const host = await hostOf(t.fleet!, i.InstanceId!);
    const status = JSON.parse(await host.sh("/usr/local/bin/asg-release-agent status --json")) as AgentStatus;
    expect(status).toMatchObject({ state: "ready", releaseId: "r1", lifecycle: "CONTINUE" });
  }
}
