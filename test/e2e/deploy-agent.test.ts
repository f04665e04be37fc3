// The deploy path with full instances and the real boot agent: a two-component project, `front`
// behind an ALB target group and `back` behind a classic load balancer. The env's user_data is
// cloud-init/agent.yaml, so every instance installs the agent executable, mounts a volume made from
// the release snapshot at /release and serves it from the component's container; the launch
// lifecycle hook the deploy puts on every group holds the instance until the agent completes it, and
// both load balancers probe the containers for real. Covered in order: deploy, a no-op, scale, an
// upgrade to an image that never answers (the agent abandons, the old slot keeps serving), an upgrade
// keeping the old slot and `rollback` to it, replace-all, and destroy leaving nothing behind.
import { DescribeLifecycleHooksCommand, type AutoScalingGroup } from "@aws-sdk/client-auto-scaling";
import {
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  type Instance,
} from "@aws-sdk/client-ec2";
import { DescribeInstanceHealthCommand } from "@aws-sdk/client-elastic-load-balancing";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentStatus } from "../../agent/state.js";
import { INSTANCE_ID_TAG, RELEASE_ID_TAG } from "#shared/release/tags.js";
import { isClean, listOwned } from "../../sim/hosts/owned.js";
import { reclaimStateDir } from "../../sim/hosts/reclaim.js";
import { DEBIAN_12_AMI } from "../../sim/services/ec2/seed.js";
import { buildBusyboxImage, type BusyboxImage } from "../support/busybox-image.js";
import type { Registry } from "../support/registry.js";
import { agentExecutable } from "../support/agent-build.js";
import { testImage } from "../support/test-image.js";
import { agentCloudConfig, publishRelease, serveAgent, type FileServer } from "../support/agent-fleet.js";
import { pointTo, startPointerServer, type PointerServer } from "../support/agent.js";
import {
  createLoadBalancers,
  groups,
  groupsByName,
  modelYaml,
  run,
  tagOf,
  writeFiles,
  type DeployWorld,
} from "../support/deploy.js";
import { hostOf, startFleet, waitUntil, type Fleet } from "../support/e2e/fleet.js";

const PORT = 8080;

let registry: Registry | undefined;
let images: Record<"good" | "good2" | "bad", BusyboxImage>;
let fleet: Fleet | undefined;
let agent: FileServer | undefined;
let pointer: PointerServer | undefined;
let world: DeployWorld;
/** Set once the destroy test has stopped the region itself. */
let stateDir: string | undefined;

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

const byName = () => groupsByName(world.aws);

const idsOf = (g: AutoScalingGroup | undefined) => (g?.Instances ?? []).map((i) => i.InstanceId!).sort();

async function instances(ids: string[]): Promise<Instance[]> {
  const out = await world.aws.ec2.send(new DescribeInstancesCommand(ids.length ? { InstanceIds: ids } : {}));
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

/** Target group members that are healthy, sorted. */
async function healthyInTargetGroup(): Promise<string[]> {
  const out = await world.aws.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: world.tgArn }));
  return (out.TargetHealthDescriptions ?? [])
    .filter((d) => d.TargetHealth?.State === "healthy")
    .map((d) => d.Target!.Id!)
    .sort();
}

/** Classic load balancer members InService (the probe passed), sorted. */
async function inServiceInClassic(): Promise<string[]> {
  const out = await world.aws.elb.send(new DescribeInstanceHealthCommand({ LoadBalancerName: "api-elb" }));
  return (out.InstanceStates ?? [])
    .filter((s) => s.State === "InService")
    .map((s) => s.InstanceId!)
    .sort();
}

/** What the instance serves on its own address: the release's file, from /release. */
async function page(ip: string | undefined): Promise<string> {
  const res = await fetch(`http://${ip}:${PORT}/index.html`, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`${ip}: HTTP ${res.status}`);
  return res.text();
}

/** Every instance serves the release and its agent booted it and completed the launch hook. */
async function expectBootedByAgent(ids: string[]): Promise<void> {
  for (const i of await instances(ids)) {
    expect(i.Tags).toContainEqual({ Key: RELEASE_ID_TAG, Value: "r1" });
    expect(await page(i.PrivateIpAddress)).toBe("release r1\n");
    const host = await hostOf(fleet!, i.InstanceId!);
    const status = JSON.parse(await host.sh("/usr/local/bin/asg-release-agent status --json")) as AgentStatus;
    expect(status).toMatchObject({ state: "ready", releaseId: "r1", lifecycle: "CONTINUE" });
  }
}

beforeAll(async () => {
  registry = (await testImage()).registry;
  const build = (tag: string, cmd?: string[]) =>
    buildBusyboxImage({ registry: registry!, repository: "shop/app", tag, ...(cmd ? { cmd } : {}) });
  const [good, good2, bad, agentBin] = await Promise.all([
    build("good"),
    build("good2"),
    // Runs, but never answers: what a broken release looks like to the agent's readiness check.
    build("bad", ["/bin/sleep", "3600"]),
    agentExecutable(),
  ]);
  images = { good: good!, good2: good2!, bad: bad! };
  fleet = await startFleet("deploy-agent", {
    insecureRegistries: [registry.host],
    delays: { loadBalancerProvisionMs: 50 },
  });
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
  world = {
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
  await writeFiles(world, {
    "env.yaml": envYaml(vpcId, userData),
    "env-keep.yaml": envYaml(vpcId, userData, "rollout: {keep_old_slot: 1h}\n"),
    // Long enough for the agent to abandon a launch and the group to replace it, even on a busy
    // machine; the serving paths above wait up to 120 s, and only as long as the boots take.
    "env-fail.yaml": envYaml(vpcId, userData).replace("join_timeout: 120", "join_timeout: 60"),
    "v1.yaml": model(images.good, 1, images.good),
    "v1-scaled.yaml": model(images.good, 2, images.good),
    "back-bad.yaml": model(images.good, 2, images.bad),
    "front-2.yaml": model(images.good2, 2, images.good),
  });
}, 300_000);

afterAll(async () => {
  await pointer?.close();
  await agent?.close();
  await fleet?.stop();
  if (stateDir) await reclaimStateDir(stateDir);
  await registry?.stop();
});

describe("deploy with full instances booted by the agent", () => {
  let front: string[] = [];
  let back: string[] = [];

  it("deploys both components into slot A: held by the launch hook until the agent serves the release", async () => {
    const r = await run(world, { model: "v1.yaml" });
    expect(r.error?.message).toBeUndefined();
    const g = await byName();
    expect(Object.keys(g).sort()).toEqual(["shop.back_A", "shop.front_A"]);
    expect(tagOf(g["shop.front_A"], "skopos:image_digest")).toBe(images.good.digest);
    expect(g["shop.front_A"]!.TargetGroupARNs).toEqual([world.tgArn]);
    expect(g["shop.back_A"]!.LoadBalancerNames).toEqual(["api-elb"]);
    for (const name of ["shop.front_A", "shop.back_A"]) {
      const hooks = await world.aws.autoscaling.send(
        new DescribeLifecycleHooksCommand({ AutoScalingGroupName: name }),
      );
      expect(hooks.LifecycleHooks).toMatchObject([
        {
          LifecycleHookName: "asg-release-launch",
          LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
          HeartbeatTimeout: 120,
        },
      ]);
    }
    front = idsOf(g["shop.front_A"]);
    back = idsOf(g["shop.back_A"]);
    expect(front).toHaveLength(1);
    expect(back).toHaveLength(1);
    expect(await healthyInTargetGroup()).toEqual(front);
    expect(await inServiceInClassic()).toEqual(back);
    await expectBootedByAgent([...front, ...back]);
  });

  it("plans nothing when nothing changed", async () => {
    const r = await run(world, { model: "v1.yaml" });
    expect(r.error?.message).toBeUndefined();
    expect(r.out).toMatch(/nothing to do/);
  });

  it("scales front in place: the new instance joins the target group only once its agent is ready", async () => {
    const r = await run(world, { model: "v1-scaled.yaml" });
    expect(r.error?.message).toBeUndefined();
    expect(r.out).toMatch(/front: scale: replicas 1 -> 2/);
    const g = await byName();
    const now = idsOf(g["shop.front_A"]);
    expect(now).toHaveLength(2);
    expect(now).toEqual(expect.arrayContaining(front));
    const added = now.filter((id) => !front.includes(id));
    front = now;
    expect(await healthyInTargetGroup()).toEqual(front);
    await expectBootedByAgent(added);
  });

  it("fails an upgrade of back to an image that never answers; back_A keeps serving", async () => {
    const r = await run(world, { env: "env-fail.yaml", model: "back-bad.yaml" });
    expect(r.ok).toBe(false);
    expect(r.error?.exitCode).toBe(1);
    expect(r.error?.message).toMatch(/^back: wait for 1 instance\(s\) of shop\.back_B: /);
    expect(r.error?.message).toMatch(
      /not healthy after join_timeout 60 s: i-[0-9a-f]+: lifecycle Pending(:Wait)?, load balancer api-elb: not registered;/,
    );
    // The agent abandoned the launch of the first instance (its service never answered) and the
    // group replaced it: the hook, not a timer, kept it out of the load balancer.
    const launched = await world.aws.ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: "tag:aws:autoscaling:groupName", Values: ["shop.back_B"] }],
      }),
    );
    const tried = (launched.Reservations ?? []).flatMap((x) => x.Instances ?? []);
    expect(tried.length).toBeGreaterThanOrEqual(2);
    expect(new Set(tried.map((i) => i.State?.Name))).toEqual(new Set(["terminated"]));
    expect(r.error?.message).toMatch(/the new slot was torn down and the previous one is still serving$/);
    const g = await byName();
    expect(Object.keys(g).sort()).toEqual(["shop.back_A", "shop.front_A"]);
    expect(tagOf(g["shop.back_A"], "skopos:image_id")).toBe(images.good.ref);
    expect(idsOf(g["shop.back_A"])).toEqual(back);
    expect(await inServiceInClassic()).toEqual(back);
    expect(await page((await instances(back))[0]!.PrivateIpAddress)).toBe("release r1\n");
    const lts = await world.aws.ec2.send(new DescribeLaunchTemplatesCommand({}));
    expect(lts.LaunchTemplates?.map((t) => t.LaunchTemplateName).sort()).toEqual([
      "shop.back_A",
      "shop.front_A",
    ]);
  });

  it("upgrades front into slot B keeping slot A scaled, then rolls back to it", async () => {
    const up = await run(world, { env: "env-keep.yaml", model: "front-2.yaml" });
    expect(up.error?.message).toBeUndefined();
    let g = await byName();
    expect(Object.keys(g).sort()).toEqual(["shop.back_A", "shop.front_A", "shop.front_B"]);
    const slotB = idsOf(g["shop.front_B"]);
    expect(slotB).toHaveLength(2);
    expect(tagOf(g["shop.front_B"], "skopos:image_id")).toBe(images.good2.ref);
    expect(g["shop.front_A"]!.TargetGroupARNs ?? []).toEqual([]);
    expect(idsOf(g["shop.front_A"])).toEqual(front);
    expect(await healthyInTargetGroup()).toEqual(slotB);
    await expectBootedByAgent(slotB);
    // The kept instances still run and serve: a rollback needs no boot.
    for (const i of await instances(front)) expect(await page(i.PrivateIpAddress)).toBe("release r1\n");

    const back2 = await run(world, { env: "env-keep.yaml", operation: "rollback" });
    expect(back2.error?.message).toBeUndefined();
    expect(back2.out).toMatch(/front: rollback: shop\.front_B -> kept slot shop\.front_A/);
    g = await byName();
    expect(Object.keys(g).sort()).toEqual(["shop.back_A", "shop.front_A"]);
    expect(g["shop.front_A"]!.TargetGroupARNs).toEqual([world.tgArn]);
    expect(idsOf(g["shop.front_A"])).toEqual(front);
    expect(await healthyInTargetGroup()).toEqual(front);
    expect(new Set((await instances(slotB)).map((i) => i.State?.Name))).toEqual(new Set(["terminated"]));
  });

  it("replaces every component with --replace-all: new slots, served by freshly booted instances", async () => {
    const r = await run(world, { model: "v1-scaled.yaml", replaceAll: true });
    expect(r.error?.message).toBeUndefined();
    expect(r.out).toMatch(/warning: front: replacing with the same image .* reuses the launch settings/);
    const g = await byName();
    expect(Object.keys(g).sort()).toEqual(["shop.back_B", "shop.front_B"]);
    const newFront = idsOf(g["shop.front_B"]);
    const newBack = idsOf(g["shop.back_B"]);
    expect(newFront).toHaveLength(2);
    expect(newBack).toHaveLength(1);
    expect(newFront.some((id) => front.includes(id))).toBe(false);
    expect(await healthyInTargetGroup()).toEqual(newFront);
    expect(await inServiceInClassic()).toEqual(newBack);
    await expectBootedByAgent([...newFront, ...newBack]);
  });

  it("destroys the project: no groups, templates, instances or release volumes, and a clean machine", async () => {
    const all = (await instances([])).map((i) => i.InstanceId!);
    const r = await run(world, { operation: "destroy" });
    expect(r.error?.message).toBeUndefined();
    expect(await groups(world.aws)).toEqual([]);
    const lts = await world.aws.ec2.send(new DescribeLaunchTemplatesCommand({}));
    expect(lts.LaunchTemplates ?? []).toEqual([]);
    expect(new Set((await instances(all)).map((i) => i.State?.Name))).toEqual(new Set(["terminated"]));
    // The agent's volumes go with their instances (DeleteOnTermination), a moment after them.
    const left = async () => {
      const out = await world.aws.ec2.send(
        new DescribeVolumesCommand({ Filters: [{ Name: "tag-key", Values: [INSTANCE_ID_TAG] }] }),
      );
      return (out.Volumes ?? [])
        .filter((v) => v.State !== "deleted")
        .map((v) => ({
          volume: v.VolumeId,
          state: v.State,
          instance: v.Tags?.find((t) => t.Key === INSTANCE_ID_TAG)?.Value,
          attachments: v.Attachments?.map((a) => `${a.InstanceId} ${a.State} ${a.DeleteOnTermination}`),
        }));
    };
    await waitUntil(
      "the release volumes deleted",
      async () => ((await left()).length ? undefined : true),
      30_000,
    ).catch(() => undefined);
    expect(await left()).toEqual([]);

    const { sim, aws, dir } = fleet!;
    expect(sim.sim.backgroundErrors()).toEqual([]);
    // Stopped here, without the reclaim that fleet.stop() adds, so that a leak shows.
    fleet = undefined;
    stateDir = dir;
    aws.destroy();
    await sim.stop();
    const owned = listOwned(sim.stateDir);
    expect(owned).toEqual({ processes: [], mounts: [], loopDevices: [], cgroups: [], files: [] });
    expect(isClean(owned)).toBe(true);
  });
});
