// The local region set up for deploy tests: a classic load balancer and an ALB target group with
// quick health checks, a stand-in for the boot agent that completes launch lifecycle actions (and
// can mark chosen instances unhealthy), and the deploy commands run in-process against it.
import {
  CompleteLifecycleActionCommand,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  type AutoScalingGroup,
} from "@aws-sdk/client-auto-scaling";
import {
  CreateVolumeCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
} from "@aws-sdk/client-ec2";
import {
  ConfigureHealthCheckCommand,
  CreateLoadBalancerCommand as CreateClassicCommand,
  DescribeInstanceHealthCommand,
} from "@aws-sdk/client-elastic-load-balancing";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, expect } from "vitest";
import type { AwsClients } from "#shared/aws/clients.js";
import { applyCommand, type ApplyOptions, type CommandDeps } from "../../release-server/deploy/command.js";
import { undiciHandoff } from "../../release-server/deploy/execute/handoff.js";
import { registryResolvers } from "#shared/registry/resolver-factory.js";
import { plainProgress } from "../../release-server/deploy/progress.js";
import { startSim, type SimHandle } from "../../sim/index.js";
import { DEBIAN_12_AMI } from "../../sim/services/ec2/seed.js";
import { defaultSubnets } from "./autoscaling.js";
import { simClients } from "./sim.js";
import { INSTANCE_ID_TAG, MANAGED_BY_AGENT, MANAGED_BY_TAG } from "#shared/release/tags.js";

export const AMI = DEBIAN_12_AMI;

export interface DeployWorld {
  sim: SimHandle;
  aws: AwsClients;
  vpcId: string;
  subnetIds: string[];
  tgArn: string;
  dir: string;
  /** Instances of groups whose name matches are reported unhealthy to their load balancers. */
  sicken(pattern: RegExp | undefined): void;
  stop(): Promise<void>;
}

export async function startWorld(): Promise<DeployWorld> {
  const sim = await startSim({
    hostKind: "light",
    delays: {
      instancePendingMs: 50,
      instanceShutdownMs: 50,
      asgReconcileMs: 60,
      loadBalancerProvisionMs: 20,
    },
  });
  const aws = simClients(sim);
  const net = await defaultSubnets(aws);
  const tgArn = await createLoadBalancers(aws, net, {
    port: 8080,
    classicTarget: "TCP:8080",
    healthyThreshold: 1,
  });
  const dir = await mkdtemp(join(tmpdir(), "deploy-"));
  const agent = standInAgent(sim, aws);
  return {
    sim,
    aws,
    vpcId: net.vpcId,
    subnetIds: net.ids,
    tgArn,
    dir,
    sicken: (p) => agent.sicken(p),
    stop: async () => {
      agent.stop();
      aws.destroy();
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The world of a test file: started before its tests (with `files(world)` written into its folder)
 * and stopped after them. The returned object is filled in when the world has started.
 */
export function useDeployWorld(files?: (world: DeployWorld) => Record<string, string>): DeployWorld {
  const world = {} as DeployWorld;
  beforeAll(async () => {
    Object.assign(world, await startWorld());
    if (files) await writeFiles(world, files(world));
  });
  afterAll(() => world.stop());
  return world;
}

export interface LoadBalancerOptions {
  /** The port the instances serve on, behind both load balancers. */
  port: number;
  /** The classic load balancer's health check target, e.g. "TCP:8080" or "HTTP:8080/index.html". */
  classicTarget: string;
  /** The target group's health check path ("/" when absent). */
  targetGroupPath?: string;
  healthyThreshold: number;
}

/**
 * The project's two load balancers with quick health checks: classic `api-elb` and ALB `web-alb`
 * forwarding to target group `tg-web` (deregistration delay 1 s). Returns the target group's ARN.
 */
export async function createLoadBalancers(
  aws: AwsClients,
  net: { vpcId: string; ids: string[] },
  o: LoadBalancerOptions,
): Promise<string> {
  await aws.elb.send(
    new CreateClassicCommand({
      LoadBalancerName: "api-elb",
      Listeners: [{ Protocol: "HTTP", LoadBalancerPort: 80, InstanceProtocol: "HTTP", InstancePort: o.port }],
      Subnets: net.ids,
    }),
  );
  await aws.elb.send(
    new ConfigureHealthCheckCommand({
      LoadBalancerName: "api-elb",
      HealthCheck: {
        Target: o.classicTarget,
        Interval: 2,
        Timeout: 1,
        HealthyThreshold: o.healthyThreshold,
        UnhealthyThreshold: o.healthyThreshold,
      },
    }),
  );
  const tg = await aws.elbv2.send(
    new CreateTargetGroupCommand({
      Name: "tg-web",
      Protocol: "HTTP",
      Port: o.port,
      VpcId: net.vpcId,
      ...(o.targetGroupPath ? { HealthCheckPath: o.targetGroupPath } : {}),
      HealthCheckIntervalSeconds: 2,
      HealthCheckTimeoutSeconds: 1,
      HealthyThresholdCount: o.healthyThreshold,
      UnhealthyThresholdCount: o.healthyThreshold,
    }),
  );
  const tgArn = tg.TargetGroups![0]!.TargetGroupArn!;
  await aws.elbv2.send(
    new ModifyTargetGroupAttributesCommand({
      TargetGroupArn: tgArn,
      Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "1" }],
    }),
  );
  const alb = await aws.elbv2.send(new CreateLoadBalancerCommand({ Name: "web-alb", Subnets: net.ids }));
  await aws.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: alb.LoadBalancers![0]!.LoadBalancerArn!,
      Protocol: "HTTP",
      Port: 80,
      DefaultActions: [{ Type: "forward", TargetGroupArn: tgArn }],
    }),
  );
  return tgArn;
}

/** What the boot agent does for a light instance: CONTINUE its launch hook. */
function standInAgent(sim: SimHandle, aws: AwsClients) {
  let sick: RegExp | undefined;
  const marked = new Set<string>();
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      try {
        const out = await aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
        for (const g of out.AutoScalingGroups ?? []) await tend(g);
      } catch {
        // the sim is stopping
      }
      await new Promise((r) => setTimeout(r, 80));
    }
  };
  const tend = async (g: AutoScalingGroup) => {
    for (const i of g.Instances ?? []) {
      const id = i.InstanceId!;
      if (sick?.test(g.AutoScalingGroupName ?? "") && !marked.has(id)) {
        marked.add(id);
        await fetch(`${sim.endpoint}/_sim/health/override`, {
          method: "PUT",
          body: JSON.stringify({ instanceId: id, healthy: false }),
        });
      }
      if (i.LifecycleState !== "Pending:Wait") continue;
      await aws.autoscaling
        .send(
          new CompleteLifecycleActionCommand({
            AutoScalingGroupName: g.AutoScalingGroupName,
            LifecycleHookName: "asg-release-launch",
            InstanceId: id,
            LifecycleActionResult: "CONTINUE",
          }),
        )
        .catch(() => undefined);
    }
  };
  void loop();
  return {
    sicken: (p: RegExp | undefined) => {
      sick = p;
    },
    stop: () => {
      stopped = true;
    },
  };
}

export function envYaml(world: DeployWorld, extra = ""): string {
  return `region: us-east-1
vpc: ${world.vpcId}
image_check_type: none
launch_config:
  ami: ${AMI}
  type: t3.micro
  user_data: "#!/bin/sh\\necho {{image_id}}\\n"
image_id_subst: "{{image_id}}"
join_timeout: 30
inst_running_timeout: 20
lifecycle_hook: {heartbeat_timeout: 60}
lb:
  web: {target_group: tg-web, port: 8080}
  api: api-elb
${extra}`;
}

export function modelYaml(components: Record<string, { image: string; replicas: number }>): string {
  const lines = ["doctype: com.datagridsys.doctype/skopos/model", "version: 1", "components:"];
  for (const [name, c] of Object.entries(components))
    lines.push(`  ${name}: {image: "${c.image}", replicas: ${c.replicas}}`);
  lines.push("gateways:");
  if (components.front) lines.push("  web: {type: load_balancer, target: [front]}");
  if (components.back) lines.push("  api: {type: load_balancer, target: [back]}");
  return `${lines.join("\n")}\n`;
}

export async function writeFiles(world: DeployWorld, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(world.dir, name), text);
}

export interface RunResult {
  ok: boolean;
  error?: Error & { exitCode?: number; code?: string };
  out: string;
  err: string;
  progress: string;
}

const sink = () => {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
};

/** Runs deploy or destroy in-process against the world (always with --yes). */
export async function run(
  world: DeployWorld,
  opts: Partial<ApplyOptions> & { env?: string; model?: string },
  deps: Partial<CommandDeps> = {},
): Promise<RunResult> {
  const out = sink();
  const err = sink();
  const progress = sink();
  const { env = "env.yaml", model, ...rest } = opts;
  try {
    await applyCommand(
      {
        envFiles: [join(world.dir, env)],
        ...(model ? { modelFile: join(world.dir, model) } : {}),
        project: "shop",
        operation: "deploy",
        yes: true,
        command: "asg-release deploy (test)",
        ...rest,
      },
      {
        env: {},
        clients: () => simClients(world.sim),
        hostVpc: () => Promise.reject(new Error("no IMDS in this test")),
        resolvers: registryResolvers({ env: {}, home: world.dir }),
        handoff: undiciHandoff,
        progress: plainProgress(progress.stream),
        out: out.stream,
        err: err.stream,
        pollMs: 100,
        ...deps,
      },
    );
    return { ok: true, out: out.text(), err: err.text(), progress: progress.text() };
  } catch (e) {
    return {
      ok: false,
      error: e as RunResult["error"],
      out: out.text(),
      err: err.text(),
      progress: progress.text(),
    };
  }
}

export async function groups(aws: AwsClients): Promise<AutoScalingGroup[]> {
  const out = await aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
  return (out.AutoScalingGroups ?? []).filter((g) => g.Status !== "Delete in progress");
}

/**
 * A group made by hand for limited-permissions mode (docs/spec/deploy.md#limited-groups):
 * `{project}.front_{side}`, empty, from launch template `made-by-hand`, tagged skopos:image_id and
 * skopos:comp_name.
 */
export async function precreateFront(
  world: DeployWorld,
  g: { project: string; side: string; image: string; maxSize: number },
): Promise<void> {
  await world.aws.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: `${g.project}.front_${g.side}`,
      MinSize: 0,
      MaxSize: g.maxSize,
      DesiredCapacity: 0,
      LaunchTemplate: { LaunchTemplateName: "made-by-hand" },
      VPCZoneIdentifier: world.subnetIds.join(","),
      Tags: [
        { Key: "skopos:image_id", Value: g.image, PropagateAtLaunch: true },
        { Key: "skopos:comp_name", Value: "front", PropagateAtLaunch: true },
      ],
    }),
  );
}

/** The groups by name (those not being deleted). */
export async function groupsByName(aws: AwsClients): Promise<Record<string, AutoScalingGroup>> {
  return Object.fromEntries((await groups(aws)).map((g) => [g.AutoScalingGroupName!, g]));
}

export const tagOf = (g: AutoScalingGroup | undefined, key: string) =>
  g?.Tags?.find((t) => t.Key === key)?.Value;

/**
 * Asserts the project is exactly what a finished deploy leaves: groups `shop.<component>_<slot>`
 * only (none being deleted) with `replicas` members each, all InService and Healthy, front in the
 * target group and back in the classic load balancer, healthy there; the groups' launch templates
 * only (no lock left); no running instance outside the groups.
 */
export async function converged(
  world: DeployWorld,
  want: { slot: string; replicas: Record<string, number> },
): Promise<void> {
  const all =
    (await world.aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? [];
  const names = Object.keys(want.replicas).map((c) => `shop.${c}_${want.slot}`);
  expect(all.map((g) => `${g.AutoScalingGroupName} ${g.Status ?? ""}`.trim()).sort()).toEqual(
    [...names].sort(),
  );
  const members: string[] = [];
  for (const g of all) {
    const component = g.AutoScalingGroupName!.replace(/^shop\.|_[A-Z]$/g, "");
    const ids = (g.Instances ?? []).map((i) => i.InstanceId!).sort();
    expect(g.DesiredCapacity, g.AutoScalingGroupName).toBe(want.replicas[component]);
    expect(
      (g.Instances ?? []).map((i) => `${i.LifecycleState}/${i.HealthStatus}`),
      g.AutoScalingGroupName,
    ).toEqual(ids.map(() => "InService/Healthy"));
    members.push(...ids);
    if (component === "front") {
      expect(g.TargetGroupARNs).toEqual([world.tgArn]);
      const th = await world.aws.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: world.tgArn }));
      expect(
        (th.TargetHealthDescriptions ?? []).map((d) => `${d.Target?.Id} ${d.TargetHealth?.State}`).sort(),
      ).toEqual(ids.map((id) => `${id} healthy`));
    } else {
      expect(g.LoadBalancerNames).toEqual(["api-elb"]);
      const ih = await world.aws.elb.send(new DescribeInstanceHealthCommand({ LoadBalancerName: "api-elb" }));
      expect((ih.InstanceStates ?? []).map((s) => `${s.InstanceId} ${s.State}`).sort()).toEqual(
        ids.map((id) => `${id} InService`),
      );
    }
  }
  const lts = await world.aws.ec2.send(new DescribeLaunchTemplatesCommand({}));
  expect((lts.LaunchTemplates ?? []).map((t) => t.LaunchTemplateName).sort()).toEqual([...names].sort());
  const running = await world.aws.ec2.send(
    new DescribeInstancesCommand({
      Filters: [{ Name: "instance-state-name", Values: ["pending", "running"] }],
    }),
  );
  expect(
    (running.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((i) => i.InstanceId!)).sort(),
  ).toEqual(members.sort());
}

/**
 * A release volume the boot agent made for `instanceId` and left `available`, as an agent killed
 * between CreateVolume and DeleteOnTermination would. `tags` replaces the agent's tags when given.
 */
export async function leftVolume(
  world: DeployWorld,
  instanceId: string,
  tags: Record<string, string> = { [MANAGED_BY_TAG]: MANAGED_BY_AGENT, [INSTANCE_ID_TAG]: instanceId },
): Promise<string> {
  const out = await world.aws.ec2.send(
    new CreateVolumeCommand({
      AvailabilityZone: `${world.sim.region}a`,
      Size: 1,
      TagSpecifications: [
        { ResourceType: "volume", Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
      ],
    }),
  );
  return out.VolumeId!;
}
