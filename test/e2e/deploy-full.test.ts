// The deploy path in the local region with full instances: each instance's user data starts the
// model's image (busybox httpd pulled from a registry on loopback, digests checked through the
// registry API) behind an ALB target group whose health checks probe the containers for real, with
// the launch lifecycle hook off, so that the load balancer's health alone gates the switch. An
// upgrade to an image that runs but serves nothing never turns healthy: the deploy fails with the
// health reasons, the new slot is torn down and the old slot keeps serving. Destroy leaves nothing in
// the region, and once the sim stops nothing of it is left on the machine.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { DescribeInstancesCommand, DescribeLaunchTemplatesCommand, type Instance } from "@aws-sdk/client-ec2";
import {
  DescribeTargetHealthCommand,
  type TargetHealthDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { beforeAll, describe, expect, it } from "vitest";
import { isClean, listOwned } from "../../sim/hosts/owned.js";
import { DEBIAN_12_AMI } from "../../sim/services/ec2/seed.js";
import { buildBusyboxImage, type BusyboxImage } from "../support/busybox-image.js";
import { defaultSubnets } from "../support/autoscaling.js";
import { useFullRegion } from "../support/e2e/full-region.js";
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

const region = useFullRegion("deploy-full");
let good: BusyboxImage;
let bad: BusyboxImage;
let world: DeployWorld;
let tgArn: string;

/** The container of the model's image, serving on the instance's private address (from IMDSv2). */
function envYaml(vpcId: string): string {
  return `region: us-east-1
vpc: ${vpcId}
image_check_type: docker
launch_config:
  ami: ${DEBIAN_12_AMI}
  type: t3.micro
  user_data: |
    #cloud-config
    runcmd:
      - |
        set -e
        EP="$AWS_EC2_METADATA_SERVICE_ENDPOINT"
        TOKEN=$(curl -sf -X PUT "$EP/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 300")
        IP=$(curl -sf -H "X-aws-ec2-metadata-token: $TOKEN" "$EP/latest/meta-data/local-ipv4")
        podman run -d --name app --network host -e HTTPD_ADDR="$IP:${region.port}" {{image_id}}
image_id_subst: "{{image_id}}"
join_timeout: 30
inst_running_timeout: 30
lifecycle_hook: {enabled: false}
lb:
  web: {target_group: tg-web, port: ${region.port}}
`;
}

async function targetHealth(): Promise<TargetHealthDescription[]> {
  const out = await region.aws.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }));
  return out.TargetHealthDescriptions ?? [];
}

async function instances(ids: string[]): Promise<Instance[]> {
  const out = await region.aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

async function page(ip: string | undefined): Promise<string> {
  const res = await fetch(`http://${ip}:${region.port}/index.html`, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`${ip}: HTTP ${res.status}`);
  return res.text();
}

const byName = () => groupsByName(region.aws);

beforeAll(async () => {
  const { registry, port, sim, aws } = region;
  good = await buildBusyboxImage({ registry, repository: "shop/front", tag: "good" });
  // Runs, but serves nothing: what a broken release looks like to the load balancer.
  bad = await buildBusyboxImage({
    registry,
    repository: "shop/front",
    tag: "bad",
    cmd: ["/bin/sleep", "3600"],
  });
  const net = await defaultSubnets(aws);
  tgArn = await createLoadBalancers(aws, net, {
    port,
    classicTarget: `HTTP:${port}/index.html`,
    targetGroupPath: "/index.html",
    healthyThreshold: 2,
  });
  const files = join(region.dir, "files");
  await mkdir(files);
  world = {
    sim,
    aws,
    vpcId: net.vpcId,
    subnetIds: net.ids,
    tgArn,
    dir: files,
    sicken: () => undefined,
    stop: async () => undefined,
  };
  await writeFiles(world, {
    "env.yaml": envYaml(net.vpcId),
    "good.yaml": modelYaml({ front: { image: good.ref, replicas: 2 } }),
    "bad.yaml": modelYaml({ front: { image: bad.ref, replicas: 2 } }),
  });
});

describe("deploy, failed upgrade and destroy with full instances", () => {
  let serving: string[] = [];

  it("deploys the serving image into slot A: 2 InService instances, healthy for real, answering", async () => {
    const r = await run(world, { model: "good.yaml" });
    expect(r.error?.message).toBeUndefined();
    const g = await byName();
    expect(Object.keys(g)).toEqual(["shop.front_A"]);
    const a = g["shop.front_A"]!;
    expect(tagOf(a, "skopos:image_id")).toBe(good.ref);
    expect(tagOf(a, "skopos:image_digest")).toBe(good.digest);
    expect(a.TargetGroupARNs).toEqual([tgArn]);
    expect(a.Instances?.map((i) => i.LifecycleState)).toEqual(["InService", "InService"]);
    serving = a.Instances!.map((i) => i.InstanceId!).sort();

    const health = await targetHealth();
    expect(health.map((t) => [t.Target?.Id, t.Target?.Port, t.TargetHealth?.State]).sort()).toEqual(
      serving.map((id) => [id, region.port, "healthy"]),
    );
    for (const i of await instances(serving)) expect(await page(i.PrivateIpAddress)).toBe("busybox httpd\n");
  });

  it("fails the upgrade to an image that never turns healthy and keeps slot A serving", async () => {
    const r = await run(world, { model: "bad.yaml" });
    expect(r.ok).toBe(false);
    expect(r.error?.exitCode).toBe(1);
    expect(r.error?.message).toMatch(
      /^front: wait for 2 instance\(s\) of shop\.front_B: .*not healthy after join_timeout 30 s: i-[0-9a-f]+: target group tg-web: unhealthy/,
    );
    // Both new instances failed the real probes of their (idle) containers.
    expect(
      r.error?.message.match(/i-[0-9a-f]+: target group tg-web: unhealthy \(Target\.FailedHealthChecks/g),
    ).toHaveLength(2);
    expect(r.error?.message).toMatch(/the new slot was torn down and the previous one is still serving$/);

    const g = await byName();
    expect(Object.keys(g)).toEqual(["shop.front_A"]);
    expect(g["shop.front_A"]!.TargetGroupARNs).toEqual([tgArn]);
    expect(tagOf(g["shop.front_A"], "skopos:image_id")).toBe(good.ref);
    const lts = await region.aws.ec2.send(new DescribeLaunchTemplatesCommand({}));
    expect(lts.LaunchTemplates?.map((t) => t.LaunchTemplateName)).toEqual(["shop.front_A"]);
    const health = await targetHealth();
    expect(
      health
        .filter((t) => t.TargetHealth?.State === "healthy")
        .map((t) => t.Target?.Id)
        .sort(),
    ).toEqual(serving);
    for (const i of await instances(serving)) expect(await page(i.PrivateIpAddress)).toBe("busybox httpd\n");
  });

  it("destroys the project: no groups, templates or instances left, and a clean machine", async () => {
    const all = (await instances([])).map((i) => i.InstanceId!);
    const r = await run(world, { operation: "destroy" });
    expect(r.error?.message).toBeUndefined();
    expect(await groups(region.aws)).toEqual([]);
    const lts = await region.aws.ec2.send(new DescribeLaunchTemplatesCommand({}));
    expect(lts.LaunchTemplates ?? []).toEqual([]);
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(new Set((await instances(all)).map((i) => i.State?.Name))).toEqual(new Set(["terminated"]));

    expect(region.sim.sim.backgroundErrors()).toEqual([]);
    const simDir = region.sim.stateDir;
    region.aws.destroy();
    await region.stopSim();
    const owned = listOwned(simDir);
    expect(owned).toEqual({ processes: [], mounts: [], loopDevices: [], cgroups: [], files: [] });
    expect(isClean(owned)).toBe(true);
  });
});
