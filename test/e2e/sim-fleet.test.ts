// The local region end to end, through the SDK only: an Auto Scaling group of full instances whose
// user data writes a page and starts a busybox httpd container (podman, image from a registry on
// loopback) behind an application load balancer. The targets turn healthy because the sim's probes
// reach the containers; a container that serves nothing stays unhealthy; scaling to 0 drains the
// targets, and once the sim stops nothing of it is left on the machine.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  GetConsoleOutputCommand,
  type Instance,
} from "@aws-sdk/client-ec2";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
  type TargetHealthDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { beforeAll, describe, expect, it } from "vitest";
import { poll } from "#shared/poll.js";
import { isClean, listOwned } from "../../sim/hosts/owned.js";
import { DEBIAN_12_AMI } from "../../sim/services/ec2/seed.js";
import type { BusyboxImage } from "../support/busybox-image.js";
import { tick } from "../support/lb.js";
import { useFullRegion } from "../support/e2e/full-region.js";

const exec = promisify(execFile);
const GROUP = "web";
const PAGE = "served by the sim fleet\n";

const world = useFullRegion("sim-fleet");
let image: BusyboxImage;
let tgArn: string;
let templateId: string;

/** The page from write_files; the instance's id and a container from runcmd, via IMDSv2 and podman. */
function userData(opts: { serve: boolean }): string {
  const container = opts.serve
    ? `podman run -d --name web --network host -v /var/www:/www:ro -e HTTPD_ADDR="$IP:${world.port}" ${image.ref}`
    : // The same image, running but serving nothing: what a broken release looks like to the LB.
      `podman run -d --name web --network host ${image.ref} sleep 3600`;
  return [
    "#cloud-config",
    "write_files:",
    "  - path: /var/www/index.html",
    "    content: |",
    `      ${PAGE.trim()}`,
    "runcmd:",
    "  - |",
    "    set -e",
    '    EP="$AWS_EC2_METADATA_SERVICE_ENDPOINT"',
    '    TOKEN=$(curl -sf -X PUT "$EP/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 300")',
    '    md() { curl -sf -H "X-aws-ec2-metadata-token: $TOKEN" "$EP/latest/meta-data/$1"; }',
    "    md instance-id > /var/www/id",
    "    IP=$(md local-ipv4)",
    `    ${container}`,
    "",
  ].join("\n");
}

const b64 = (s: string): string => Buffer.from(s).toString("base64");

/** Polls (real time: full hosts boot for real) until `check` returns a value. */
function waitFor<T>(what: string, check: () => Promise<T | undefined>, maxWaitMs = 180_000): Promise<T> {
  return poll<T>(
    async () => {
      const v = await check();
      return v === undefined ? { state: "RETRY", reason: "not yet" } : { state: "SUCCESS", value: v };
    },
    { what, maxWaitMs, minDelayMs: 200, maxDelayMs: 1000 },
  );
}

async function members(): Promise<{ id: string; state: string }[]> {
  const out = await world.aws.autoscaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [GROUP] }),
  );
  return (out.AutoScalingGroups?.[0]?.Instances ?? []).map((i) => ({
    id: i.InstanceId ?? "",
    state: i.LifecycleState ?? "",
  }));
}

async function inService(count: number): Promise<string[]> {
  return waitFor(`${count} InService members of ${GROUP}`, async () => {
    const m = await members();
    return m.length === count && m.every((x) => x.state === "InService") ? m.map((x) => x.id) : undefined;
  });
}

async function instances(ids: string[]): Promise<Instance[]> {
  const out = await world.aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

async function targetHealth(): Promise<TargetHealthDescription[]> {
  const out = await world.aws.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }));
  return out.TargetHealthDescriptions ?? [];
}

async function stateOf(instanceId: string): Promise<string | undefined> {
  return (await targetHealth()).find((t) => t.Target?.Id === instanceId)?.TargetHealth?.State;
}

/** The console log, to explain a host that did not come up. */
async function consoleOf(instanceId: string): Promise<string> {
  const out = await world.aws.ec2.send(new GetConsoleOutputCommand({ InstanceId: instanceId }));
  return Buffer.from(out.Output ?? "", "base64").toString();
}

async function fetchText(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}

beforeAll(() => {
  image = world.image;
});

describe("an Auto Scaling group of full instances behind an application load balancer", () => {
  it("grows to 3 instances whose containers serve the page and pass the health checks for real", async () => {
    const subnets = await world.aws.ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }),
    );
    const subnetIds = (subnets.Subnets ?? []).map((s) => s.SubnetId ?? "");
    const vpcId = subnets.Subnets?.[0]?.VpcId;

    const lb = await world.aws.elbv2.send(new CreateLoadBalancerCommand({ Name: "web", Subnets: subnetIds }));
    const tg = await world.aws.elbv2.send(
      new CreateTargetGroupCommand({
        Name: "web",
        Protocol: "HTTP",
        Port: world.port,
        VpcId: vpcId,
        HealthCheckPath: "/index.html",
        HealthCheckIntervalSeconds: 2,
        HealthCheckTimeoutSeconds: 1,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 2,
      }),
    );
    tgArn = tg.TargetGroups?.[0]?.TargetGroupArn ?? "";
    await world.aws.elbv2.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: tgArn,
        Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "1" }],
      }),
    );
    await world.aws.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancers?.[0]?.LoadBalancerArn,
        Protocol: "HTTP",
        Port: 80,
        DefaultActions: [{ Type: "forward", TargetGroupArn: tgArn }],
      }),
    );

    const lt = await world.aws.ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: "web",
        LaunchTemplateData: {
          ImageId: DEBIAN_12_AMI,
          InstanceType: "t3.micro",
          UserData: b64(userData({ serve: true })),
        },
      }),
    );
    templateId = lt.LaunchTemplate?.LaunchTemplateId ?? "";
    await world.aws.autoscaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: GROUP,
        LaunchTemplate: { LaunchTemplateId: templateId, Version: "1" },
        MinSize: 0,
        MaxSize: 4,
        DesiredCapacity: 3,
        VPCZoneIdentifier: subnetIds.join(","),
        TargetGroupARNs: [tgArn],
      }),
    );

    const ids = await inService(3);
    const running = await instances(ids);
    expect(running.map((i) => i.State?.Name)).toEqual(["running", "running", "running"]);
    // Balanced across zones, as the group spreads its launches.
    expect(new Set(running.map((i) => i.Placement?.AvailabilityZone)).size).toBe(3);

    for (const id of ids) {
      const healthy = await waitFor(
        `target ${id} healthy`,
        async () => ((await stateOf(id)) === "healthy" ? true : undefined),
        240_000,
      ).catch(async (err: unknown) => {
        throw new Error(`${(err as Error).message}\n${await consoleOf(id)}`);
      });
      expect(healthy).toBe(true);
    }
    const health = await targetHealth();
    expect(health.map((t) => [t.Target?.Id, t.Target?.Port, t.TargetHealth?.State]).sort()).toEqual(
      ids.map((id) => [id, world.port, "healthy"]).sort(),
    );

    for (const instance of running) {
      const base = `http://${instance.PrivateIpAddress}:${world.port}`;
      expect(await fetchText(`${base}/index.html`)).toBe(PAGE);
      expect(await fetchText(`${base}/id`)).toBe(instance.InstanceId);
    }
  });

  it("keeps an instance whose container serves nothing unhealthy", async () => {
    const v2 = await world.aws.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: templateId,
        SourceVersion: "1",
        LaunchTemplateData: { UserData: b64(userData({ serve: false })) },
      }),
    );
    expect(v2.LaunchTemplateVersion?.VersionNumber).toBe(2);
    const before = new Set((await members()).map((m) => m.id));
    await world.aws.autoscaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: GROUP,
        LaunchTemplate: { LaunchTemplateId: templateId, Version: "2" },
        DesiredCapacity: 4,
      }),
    );
    const added = (await inService(4)).find((id) => !before.has(id)) ?? "";
    const [instance] = await instances([added]);

    // Its container is up (the user data ran to the end), yet nothing answers on the port.
    await waitFor(`the idle container on ${added}`, async () => {
      const console = await consoleOf(added);
      return /user-data: \S*runcmd\S* done/.test(console) ? true : undefined;
    });
    await expect(fetch(`http://${instance?.PrivateIpAddress}:${world.port}/index.html`)).rejects.toThrow();

    await waitFor(`target ${added} unhealthy`, async () =>
      (await stateOf(added)) === "unhealthy" ? true : undefined,
    );
    // Three more rounds of checks (the sim clock runs them at once): still unhealthy, with the
    // reason AWS gives, while the others stay healthy.
    for (let round = 0; round < 3; round++) await tick(world.sim, 2_000);
    const health = await targetHealth();
    const mine = health.find((t) => t.Target?.Id === added)?.TargetHealth;
    expect(mine?.State).toBe("unhealthy");
    expect(mine?.Reason).toMatch(/^Target\.(FailedHealthChecks|Timeout)$/);
    expect(
      health
        .filter((t) => t.TargetHealth?.State === "healthy")
        .map((t) => t.Target?.Id)
        .sort(),
    ).toEqual([...before].sort());
  });

  it("scales to 0: instances terminated, targets drained, and nothing left once the sim stops", async () => {
    const ids = (await members()).map((m) => m.id);
    const hostDirs = ids.map((id) => join(world.sim.stateDir, "hosts", id));
    expect(ids).toHaveLength(4);
    await world.aws.autoscaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: GROUP, DesiredCapacity: 0 }),
    );
    await waitFor("the group to be empty", async () => ((await members()).length === 0 ? true : undefined));
    expect((await instances(ids)).map((i) => i.State?.Name)).toEqual(ids.map(() => "terminated"));
    await waitFor("the targets to drain", async () =>
      (await targetHealth()).length === 0 ? true : undefined,
    );
    for (const hostDir of hostDirs) expect(isClean(listOwned(hostDir))).toBe(true);

    expect(world.sim.sim.backgroundErrors()).toEqual([]);
    const simDir = world.sim.stateDir;
    world.aws.destroy();
    await world.stopSim();

    const owned = listOwned(simDir);
    expect(owned).toEqual({ processes: [], mounts: [], loopDevices: [], cgroups: [], files: [] });
    expect(isClean(owned)).toBe(true);
    const around = listOwned(world.dir);
    expect([around.processes, around.mounts, around.loopDevices, around.cgroups]).toEqual([[], [], [], []]);
    const loops = (await exec("losetup", ["-a"])).stdout;
    expect(loops.split("\n").filter((l) => l.includes(world.dir))).toEqual([]);
    const mounts = await readFile("/proc/mounts", "utf8");
    expect(mounts.split("\n").filter((l) => l.includes(world.dir))).toEqual([]);
  });
});
