// ELBv2 target health measured for real: the sim probes each target's 127.x address on the sim
// clock. Instances are light instances launched through EC2; a tiny HTTP server on an instance's
// own address plays the application, and the probe override makes the sim check it for real.
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeregisterTargetsCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
  type TargetHealthDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsClients } from "#shared/aws/clients.js";
import { startSim, type SimHandle } from "../../sim/index.js";
import { createTemplate, waitInService } from "../support/autoscaling.js";
import { awsCli, simClients } from "../support/sim.js";
import {
  defaultSubnets,
  launch,
  probeForReal,
  serveHealth,
  tick,
  type HealthServer,
  type Subnets,
} from "../support/lb.js";

// Checks every 60 s of sim time: the real clock never reaches a check during a test, so each
// tick(60_000) runs exactly one round of probes.
const INTERVAL = 60_000;

let sim: SimHandle;
let aws: AwsClients;
let net: Subnets;
let lbArn: string;

beforeAll(async () => {
  sim = await startSim({ hostKind: "light" });
  aws = simClients(sim, { maxAttempts: 1 });
  net = await defaultSubnets(aws);
  const lb = await aws.elbv2.send(
    new CreateLoadBalancerCommand({
      Name: "web",
      Subnets: [net.byZone["us-east-1a"] ?? "", net.byZone["us-east-1b"] ?? ""],
    }),
  );
  lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? "";
});
afterAll(async () => {
  aws.destroy();
  await sim.stop();
});

async function targetGroup(
  name: string,
  port: number,
  extra: { path?: string; matcher?: string; timeout?: number } = {},
): Promise<string> {
  const out = await aws.elbv2.send(
    new CreateTargetGroupCommand({
      Name: name,
      Protocol: "HTTP",
      Port: port,
      VpcId: net.vpcId,
      HealthCheckPath: extra.path ?? "/health",
      HealthCheckIntervalSeconds: INTERVAL / 1000,
      HealthCheckTimeoutSeconds: extra.timeout ?? 1,
      HealthyThresholdCount: 3,
      UnhealthyThresholdCount: 2,
      Matcher: extra.matcher ? { HttpCode: extra.matcher } : undefined,
    }),
  );
  return out.TargetGroups?.[0]?.TargetGroupArn ?? "";
}

async function forward(tgArn: string, port: number): Promise<string> {
  const out = await aws.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: lbArn,
      Port: port,
      DefaultActions: [{ Type: "forward", TargetGroupArn: tgArn }],
    }),
  );
  return out.Listeners?.[0]?.ListenerArn ?? "";
}

async function health(tgArn: string): Promise<TargetHealthDescription[]> {
  const out = await aws.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }));
  return out.TargetHealthDescriptions ?? [];
}

async function stateOf(tgArn: string): Promise<unknown> {
  return (await health(tgArn))[0]?.TargetHealth;
}

describe("ELBv2 health checks against a real server", () => {
  let server: HealthServer;
  let tgArn: string;
  let instanceId: string;

  beforeAll(async () => {
    const instance = await launch(sim, aws, net.byZone["us-east-1a"] ?? "");
    instanceId = instance.instanceId;
    await probeForReal(sim, instanceId);
    server = await serveHealth(instance.privateIp);
    tgArn = await targetGroup("real", server.port);
    await forward(tgArn, 80);
  });
  afterAll(async () => server.close());

  it("is initial until the first check, then healthy after one passing check", async () => {
    await aws.elbv2.send(
      new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: instanceId }] }),
    );
    expect(await health(tgArn)).toEqual([
      {
        Target: { Id: instanceId, Port: server.port },
        HealthCheckPort: String(server.port),
        TargetHealth: {
          State: "initial",
          Reason: "Elb.RegistrationInProgress",
          Description: "Target registration is in progress",
        },
      },
    ]);
    await tick(sim, INTERVAL);
    expect(await stateOf(tgArn)).toEqual({ State: "healthy" });
    expect(server.requests).toEqual(["/health"]);
  });

  it("turns unhealthy after UnhealthyThresholdCount failing checks, with the codes seen", async () => {
    server.answer(500);
    await tick(sim, INTERVAL);
    expect(await stateOf(tgArn)).toEqual({ State: "healthy" });
    await tick(sim, INTERVAL);
    expect(await stateOf(tgArn)).toEqual({
      State: "unhealthy",
      Reason: "Target.ResponseCodeMismatch",
      Description: "Health checks failed with these codes: [500]",
    });
  });

  it("comes back after HealthyThresholdCount passing checks", async () => {
    server.answer(200);
    await tick(sim, INTERVAL);
    await tick(sim, INTERVAL);
    expect(await stateOf(tgArn)).toMatchObject({ State: "unhealthy" });
    await tick(sim, INTERVAL);
    expect(await stateOf(tgArn)).toEqual({ State: "healthy" });
  });

  it("reports Target.Timeout when the server accepts but does not answer", async () => {
    server.answer("hang");
    await tick(sim, INTERVAL);
    await tick(sim, INTERVAL);
    expect(await stateOf(tgArn)).toEqual({
      State: "unhealthy",
      Reason: "Target.Timeout",
      Description: "Request timed out",
    });
    server.answer(200);
  });

  it("reports Target.FailedHealthChecks when nothing listens, and the AWS CLI reads it", async () => {
    await server.close();
    await tick(sim, INTERVAL);
    await tick(sim, INTERVAL);
    const out = (await awsCli(sim, ["elbv2", "describe-target-health", "--target-group-arn", tgArn])) as {
      TargetHealthDescriptions: unknown[];
    };
    expect(out.TargetHealthDescriptions).toEqual([
      {
        Target: { Id: instanceId, Port: server.port },
        HealthCheckPort: String(server.port),
        TargetHealth: {
          State: "unhealthy",
          Reason: "Target.FailedHealthChecks",
          Description: "Health checks failed",
        },
      },
    ]);
  });

  it("drains a deregistered target for the deregistration delay, then forgets it", async () => {
    await aws.elbv2.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: tgArn,
        Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "30" }],
      }),
    );
    await aws.elbv2.send(
      new DeregisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: instanceId }] }),
    );
    expect(await stateOf(tgArn)).toEqual({
      State: "draining",
      Reason: "Target.DeregistrationInProgress",
      Description: "Target deregistration is in progress",
    });
    await tick(sim, 29_000);
    expect(await stateOf(tgArn)).toMatchObject({ State: "draining" });
    await tick(sim, 2_000);
    expect(await health(tgArn)).toEqual([]);
    const asked = await aws.elbv2.send(
      new DescribeTargetHealthCommand({
        TargetGroupArn: tgArn,
        Targets: [{ Id: instanceId, Port: server.port }],
      }),
    );
    expect(asked.TargetHealthDescriptions).toEqual([
      {
        Target: { Id: instanceId, Port: server.port },
        TargetHealth: {
          State: "unused",
          Reason: "Target.NotRegistered",
          Description: "Target is not registered to the target group",
        },
      },
    ]);
  });
});

describe("targets that are not checked", () => {
  it("is unused in a zone the load balancer does not cover (docs/spec/deploy.md#lb-zones)", async () => {
    const tgArn = await targetGroup("zones", 8080);
    await forward(tgArn, 8080);
    const inA = await launch(sim, aws, net.byZone["us-east-1a"] ?? "");
    const inC = await launch(sim, aws, net.byZone["us-east-1c"] ?? "");
    await aws.elbv2.send(
      new RegisterTargetsCommand({
        TargetGroupArn: tgArn,
        Targets: [{ Id: inA.instanceId }, { Id: inC.instanceId }],
      }),
    );
    await tick(sim, INTERVAL);
    const byId = Object.fromEntries((await health(tgArn)).map((d) => [d.Target?.Id, d.TargetHealth]));
    // Light instances are assumed to pass their checks unless told otherwise.
    expect(byId[inA.instanceId]).toEqual({ State: "healthy" });
    expect(byId[inC.instanceId]).toEqual({
      State: "unused",
      Reason: "Target.NotInUse",
      Description: "Target is in an Availability Zone that is not enabled for the load balancer",
    });
  });

  it("is unused while no listener forwards to the group, and is checked once one does", async () => {
    const tgArn = await targetGroup("idle", 9090);
    const instance = await launch(sim, aws, net.byZone["us-east-1b"] ?? "");
    await aws.elbv2.send(
      new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: instance.instanceId }] }),
    );
    await tick(sim, INTERVAL);
    expect(await stateOf(tgArn)).toEqual({
      State: "unused",
      Reason: "Target.NotInUse",
      Description: "Target group is not configured to receive traffic from the load balancer",
    });
    const listenerArn = await forward(tgArn, 9090);
    expect(await stateOf(tgArn)).toMatchObject({ State: "initial", Reason: "Elb.RegistrationInProgress" });
    await tick(sim, INTERVAL);
    expect(await stateOf(tgArn)).toEqual({ State: "healthy" });
    await aws.elbv2.send(new DeleteListenerCommand({ ListenerArn: listenerArn }));
    expect(await stateOf(tgArn)).toMatchObject({ State: "unused", Reason: "Target.NotInUse" });
  });

  it("is unused with Target.InvalidState when the instance is stopped", async () => {
    const tgArn = await targetGroup("stopped", 7070);
    await forward(tgArn, 7070);
    const instance = await launch(sim, aws, net.byZone["us-east-1a"] ?? "");
    await aws.elbv2.send(
      new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: instance.instanceId }] }),
    );
    // EC2 here has no StopInstances: the instance record is stopped directly.
    const record = sim.sim.state.region("us-east-1")?.instances.get(instance.instanceId);
    if (record) record.state = "stopped";
    expect(await stateOf(tgArn)).toEqual({
      State: "unused",
      Reason: "Target.InvalidState",
      Description: "Target is in the stopped state",
    });
  });
});

describe("light instance policy", () => {
  it("fails light instances the control API marks unhealthy, and Auto Scaling sees it", async () => {
    const tgArn = await targetGroup("policy", 6060);
    await forward(tgArn, 6060);
    const instance = await launch(sim, aws, net.byZone["us-east-1b"] ?? "");
    await aws.elbv2.send(
      new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: instance.instanceId }] }),
    );
    const region = sim.sim.state.region("us-east-1");
    if (!region) throw new Error("no region");
    await tick(sim, INTERVAL);
    expect(sim.sim.internal.lb?.isHealthy(region, { targetGroupArn: tgArn }, instance.instanceId)).toBe(true);
    const res = await fetch(`${sim.endpoint}/_sim/health/override`, {
      method: "PUT",
      body: JSON.stringify({ instanceId: instance.instanceId, healthy: false }),
    });
    expect(res.status).toBe(200);
    await tick(sim, INTERVAL);
    await tick(sim, INTERVAL);
    expect(await stateOf(tgArn)).toEqual({
      State: "unhealthy",
      Reason: "Target.FailedHealthChecks",
      Description: "Health checks failed",
    });
    expect(sim.sim.internal.lb?.isHealthy(region, { targetGroupArn: tgArn }, instance.instanceId)).toBe(
      false,
    );
  });

  it("sets what all light instances answer through the control API", async () => {
    const put = (body: unknown) =>
      fetch(`${sim.endpoint}/_sim/health/light`, { method: "PUT", body: JSON.stringify(body) });
    expect((await put({ healthy: false })).status).toBe(200);
    const policy = await (await fetch(`${sim.endpoint}/_sim/health/policy`)).json();
    expect(policy).toMatchObject({ light: "unhealthy" });
    expect((await put({ sometimes: true })).status).toBe(400);
    expect((await put({ healthy: true })).status).toBe(200);
    expect((await fetch(`${sim.endpoint}/_sim/health/settle`, { method: "POST" })).status).toBe(200);
  });
});

describe("Auto Scaling members", () => {
  it("registers group members in all three zones; the one outside the load balancer's zones is unused", async () => {
    const tgArn = await targetGroup("asg", 5050);
    await forward(tgArn, 5050);
    const templateId = await createTemplate(aws, "asg-template");
    await aws.autoscaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: "web-asg",
        LaunchTemplate: { LaunchTemplateId: templateId, Version: "$Latest" },
        MinSize: 3,
        MaxSize: 3,
        DesiredCapacity: 3,
        VPCZoneIdentifier: ["a", "b", "c"].map((z) => net.byZone[`us-east-1${z}`]).join(","),
        TargetGroupARNs: [tgArn],
      }),
    );
    await waitInService(aws, "web-asg", 3);
    await tick(sim, INTERVAL);
    const described = await health(tgArn);
    const zoneOf = (id: string | undefined): string | undefined =>
      sim.sim.state.region("us-east-1")?.instances.get(id ?? "")?.availabilityZone;
    expect(
      described.map((d) => [zoneOf(d.Target?.Id), d.Target?.Port, d.TargetHealth?.State]).sort(),
    ).toEqual([
      ["us-east-1a", 5050, "healthy"],
      ["us-east-1b", 5050, "healthy"],
      ["us-east-1c", 5050, "unused"],
    ]);
  });
});
