// Classic ELB conformance through the SDK and the AWS CLI, with instance health measured for real
// against a server on the instance's own 127.x address.
import { TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import {
  AddTagsCommand,
  ConfigureHealthCheckCommand,
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  DeregisterInstancesFromLoadBalancerCommand,
  DescribeInstanceHealthCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  EnableAvailabilityZonesForLoadBalancerCommand,
  ModifyLoadBalancerAttributesCommand,
  RegisterInstancesWithLoadBalancerCommand,
  RemoveTagsCommand,
  type InstanceState,
  paginateDescribeLoadBalancers,
} from "@aws-sdk/client-elastic-load-balancing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsClients } from "#shared/aws/clients.js";
import { startSim, type SimHandle } from "../../sim/index.js";
import {
  defaultSubnets,
  failure,
  launch,
  probeForReal,
  serveHealth,
  tick,
  type Subnets,
} from "../support/lb.js";
import { awsCli, awsCliError, simClients } from "../support/sim.js";

// Checks every 60 s of sim time, so the real clock never reaches one during a test.
const INTERVAL = 60_000;
const FAILED = "Instance has failed at least the UnhealthyThreshold number of health checks consecutively.";

let sim: SimHandle;
let aws: AwsClients;
let net: Subnets;

const subnet = (zone: string): string => net.byZone[`us-east-1${zone}`] ?? "";

beforeAll(async () => {
  sim = await startSim({ hostKind: "light" });
  aws = simClients(sim, { maxAttempts: 1 });
  net = await defaultSubnets(aws);
});
afterAll(async () => {
  aws.destroy();
  await sim.stop();
});

async function createLb(name: string, zones: string[], port = 80): Promise<string> {
  const out = await aws.elb.send(
    new CreateLoadBalancerCommand({
      LoadBalancerName: name,
      Listeners: [{ Protocol: "HTTP", LoadBalancerPort: 80, InstanceProtocol: "HTTP", InstancePort: port }],
      Subnets: zones.map(subnet),
    }),
  );
  return out.DNSName ?? "";
}

async function checkEvery(
  name: string,
  target: string,
  thresholds = { healthy: 2, unhealthy: 2 },
): Promise<void> {
  await aws.elb.send(
    new ConfigureHealthCheckCommand({
      LoadBalancerName: name,
      HealthCheck: {
        Target: target,
        Interval: INTERVAL / 1000,
        Timeout: 1,
        HealthyThreshold: thresholds.healthy,
        UnhealthyThreshold: thresholds.unhealthy,
      },
    }),
  );
}

async function health(name: string): Promise<InstanceState[]> {
  const out = await aws.elb.send(new DescribeInstanceHealthCommand({ LoadBalancerName: name }));
  return out.InstanceStates ?? [];
}

describe("load balancers", () => {
  it("creates one in subnets and describes it to the SDK and the AWS CLI", async () => {
    const dns = await createLb("classic", ["a", "b"], 8080);
    expect(dns).toMatch(/^classic-\d+\.us-east-1\.elb\.amazonaws\.com$/);
    const out = await aws.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ["classic"] }));
    expect(out.LoadBalancerDescriptions?.[0]).toMatchObject({
      LoadBalancerName: "classic",
      DNSName: dns,
      CanonicalHostedZoneNameID: "Z35SXDOTRQ7X7K",
      ListenerDescriptions: [
        {
          Listener: { Protocol: "HTTP", LoadBalancerPort: 80, InstanceProtocol: "HTTP", InstancePort: 8080 },
          PolicyNames: [],
        },
      ],
      AvailabilityZones: ["us-east-1a", "us-east-1b"],
      Subnets: [subnet("a"), subnet("b")],
      VPCId: net.vpcId,
      HealthCheck: {
        Target: "TCP:8080",
        Interval: 30,
        Timeout: 5,
        UnhealthyThreshold: 2,
        HealthyThreshold: 10,
      },
      Scheme: "internet-facing",
    });
    const cli = (await awsCli(sim, [
      "elb",
      "describe-load-balancers",
      "--load-balancer-names",
      "classic",
    ])) as {
      LoadBalancerDescriptions: { DNSName: string; Instances: unknown[]; CreatedTime: string }[];
    };
    expect(cli.LoadBalancerDescriptions[0]).toMatchObject({ DNSName: dns, Instances: [] });
  });

  it("places a load balancer given zones in the default subnets", async () => {
    await aws.elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: "by-zone",
        Listeners: [{ Protocol: "TCP", LoadBalancerPort: 22, InstancePort: 22 }],
        AvailabilityZones: ["us-east-1c"],
      }),
    );
    const out = await aws.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ["by-zone"] }));
    expect(out.LoadBalancerDescriptions?.[0]).toMatchObject({
      Subnets: [subnet("c")],
      AvailabilityZones: ["us-east-1c"],
    });
  });

  it("answers unknown names with LoadBalancerNotFound and refuses different settings under one name", async () => {
    expect(
      await failure(aws.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ["nope"] }))),
    ).toEqual({
      name: "AccessPointNotFoundException",
      message: "There is no ACTIVE Load Balancer named 'nope'",
      status: 400,
    });
    const stderr = await awsCliError(sim, [
      "elb",
      "describe-instance-health",
      "--load-balancer-name",
      "nope",
    ]);
    expect(stderr).toContain("(LoadBalancerNotFound)");
    expect(await createLb("classic", ["a", "b"], 8080)).toMatch(/^classic-/);
    expect(await failure(createLb("classic", ["a", "b"], 9090))).toMatchObject({
      name: "DuplicateAccessPointNameException",
      message: "Load Balancer named 'classic' already exists and it is configured with different parameters.",
    });
  });

  it("pages with Marker/PageSize", async () => {
    await createLb("page-1", ["a"]);
    await createLb("page-2", ["a"]);
    const seen: string[][] = [];
    for await (const page of paginateDescribeLoadBalancers({ client: aws.elb }, { PageSize: 2 }))
      seen.push((page.LoadBalancerDescriptions ?? []).map((d) => d.LoadBalancerName ?? ""));
    expect(seen).toEqual([
      ["classic", "by-zone"],
      ["page-1", "page-2"],
    ]);
  });

  it("refuses a malformed health check target", async () => {
    expect(await failure(checkEvery("classic", "HTTP:80"))).toMatchObject({
      name: "ValidationError",
      message: "Health check target HTTP:80 must include a ping path for HTTP",
    });
  });
});

describe("instance health against a real server", () => {
  it("is OutOfService until HealthyThreshold checks pass, then InService, and fails after UnhealthyThreshold", async () => {
    const instance = await launch(sim, aws, subnet("a"));
    await probeForReal(sim, instance.instanceId);
    const server = await serveHealth(instance.privateIp);
    await createLb("real", ["a", "b"], server.port);
    await checkEvery("real", `HTTP:${server.port}/ping`);
    const registered = await aws.elb.send(
      new RegisterInstancesWithLoadBalancerCommand({
        LoadBalancerName: "real",
        Instances: [{ InstanceId: instance.instanceId }],
      }),
    );
    expect(registered.Instances).toEqual([{ InstanceId: instance.instanceId }]);
    const registering = {
      InstanceId: instance.instanceId,
      State: "OutOfService",
      ReasonCode: "ELB",
      Description: "Instance registration is still in progress.",
    };
    expect(await health("real")).toEqual([registering]);
    await tick(sim, INTERVAL);
    expect(await health("real")).toEqual([registering]);
    await tick(sim, INTERVAL);
    expect(await health("real")).toEqual([
      { InstanceId: instance.instanceId, State: "InService", ReasonCode: "N/A", Description: "N/A" },
    ]);
    expect(server.requests).toEqual(["/ping", "/ping"]);

    server.answer(503);
    await tick(sim, INTERVAL);
    await tick(sim, INTERVAL);
    const cli = (await awsCli(sim, ["elb", "describe-instance-health", "--load-balancer-name", "real"])) as {
      InstanceStates: unknown[];
    };
    expect(cli.InstanceStates).toEqual([
      { InstanceId: instance.instanceId, State: "OutOfService", ReasonCode: "Instance", Description: FAILED },
    ]);
    const region = sim.sim.state.region("us-east-1");
    if (!region) throw new Error("no region");
    expect(sim.sim.internal.lb?.isHealthy(region, { loadBalancerName: "real" }, instance.instanceId)).toBe(
      false,
    );

    // A TCP check only needs the port to accept.
    await checkEvery("real", `TCP:${server.port}`);
    await tick(sim, INTERVAL);
    await tick(sim, INTERVAL);
    expect((await health("real"))[0]).toMatchObject({ State: "InService" });
    await server.close();
    await tick(sim, INTERVAL);
    await tick(sim, INTERVAL);
    expect((await health("real"))[0]).toMatchObject({
      State: "OutOfService",
      ReasonCode: "Instance",
      Description: FAILED,
    });
  });

  it("leaves an instance in a zone the load balancer does not serve OutOfService until the zone is enabled", async () => {
    await createLb("zonal", ["a", "b"]);
    await checkEvery("zonal", "TCP:80", { healthy: 1, unhealthy: 2 });
    const instance = await launch(sim, aws, subnet("c"));
    await aws.elb.send(
      new RegisterInstancesWithLoadBalancerCommand({
        LoadBalancerName: "zonal",
        Instances: [{ InstanceId: instance.instanceId }],
      }),
    );
    await tick(sim, INTERVAL);
    expect(await health("zonal")).toEqual([
      {
        InstanceId: instance.instanceId,
        State: "OutOfService",
        ReasonCode: "ELB",
        Description:
          "Instance is in an EC2 Availability Zone for which LoadBalancer is not configured to route traffic to.",
      },
    ]);
    const enabled = await aws.elb.send(
      new EnableAvailabilityZonesForLoadBalancerCommand({
        LoadBalancerName: "zonal",
        AvailabilityZones: ["us-east-1c"],
      }),
    );
    expect(enabled.AvailabilityZones).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    // Light instances are assumed to pass their checks unless told otherwise.
    await tick(sim, INTERVAL);
    expect((await health("zonal"))[0]).toMatchObject({ State: "InService" });
  });
});

describe("registration", () => {
  it("refuses unknown instances with InvalidInstance", async () => {
    expect(
      await failure(
        aws.elb.send(
          new RegisterInstancesWithLoadBalancerCommand({
            LoadBalancerName: "classic",
            Instances: [{ InstanceId: "i-0123456789abcdef0" }],
          }),
        ),
      ),
    ).toMatchObject({
      name: "InvalidEndPointException",
      message: "Could not find EC2 instance i-0123456789abcdef0.",
    });
  });

  it("drains a deregistered instance for the connection draining timeout", async () => {
    const attrs = await aws.elb.send(
      new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: "classic" }),
    );
    expect(attrs.LoadBalancerAttributes).toMatchObject({
      ConnectionDraining: { Enabled: false, Timeout: 300 },
      CrossZoneLoadBalancing: { Enabled: false },
      ConnectionSettings: { IdleTimeout: 60 },
    });
    await aws.elb.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerName: "classic",
        LoadBalancerAttributes: { ConnectionDraining: { Enabled: true, Timeout: 20 } },
      }),
    );
    const instance = await launch(sim, aws, subnet("b"));
    await aws.elb.send(
      new RegisterInstancesWithLoadBalancerCommand({
        LoadBalancerName: "classic",
        Instances: [{ InstanceId: instance.instanceId }],
      }),
    );
    const left = await aws.elb.send(
      new DeregisterInstancesFromLoadBalancerCommand({
        LoadBalancerName: "classic",
        Instances: [{ InstanceId: instance.instanceId }],
      }),
    );
    expect(left.Instances).toEqual([{ InstanceId: instance.instanceId }]);
    expect(await health("classic")).toEqual([
      {
        InstanceId: instance.instanceId,
        State: "InService",
        ReasonCode: "ELB",
        Description: "Instance deregistration currently in progress.",
      },
    ]);
    await tick(sim, 21_000);
    expect(await health("classic")).toEqual([]);
    expect(
      await failure(
        aws.elb.send(
          new DescribeInstanceHealthCommand({
            LoadBalancerName: "classic",
            Instances: [{ InstanceId: instance.instanceId }],
          }),
        ),
      ),
    ).toMatchObject({ name: "InvalidEndPointException" });
  });

  it("forgets a terminated instance", async () => {
    const instance = await launch(sim, aws, subnet("a"));
    await aws.elb.send(
      new RegisterInstancesWithLoadBalancerCommand({
        LoadBalancerName: "page-1",
        Instances: [{ InstanceId: instance.instanceId }],
      }),
    );
    await aws.ec2.send(new TerminateInstancesCommand({ InstanceIds: [instance.instanceId] }));
    await sim.advanceClock(1000);
    expect((await health("page-1"))[0]).toMatchObject({
      State: "OutOfService",
      Description: "Instance is in terminated state.",
    });
    await tick(sim, 30_000);
    expect(await health("page-1")).toEqual([]);
  });
});

describe("tags", () => {
  it("adds, describes and removes tags", async () => {
    await aws.elb.send(
      new AddTagsCommand({
        LoadBalancerNames: ["classic"],
        Tags: [
          { Key: "env", Value: "test" },
          { Key: "team", Value: "web" },
        ],
      }),
    );
    const out = await aws.elb.send(new DescribeTagsCommand({ LoadBalancerNames: ["classic", "by-zone"] }));
    expect(out.TagDescriptions).toEqual([
      {
        LoadBalancerName: "classic",
        Tags: [
          { Key: "env", Value: "test" },
          { Key: "team", Value: "web" },
        ],
      },
      { LoadBalancerName: "by-zone", Tags: [] },
    ]);
    await aws.elb.send(new RemoveTagsCommand({ LoadBalancerNames: ["classic"], Tags: [{ Key: "team" }] }));
    const cli = (await awsCli(sim, ["elb", "describe-tags", "--load-balancer-names", "classic"])) as {
      TagDescriptions: unknown[];
    };
    expect(cli.TagDescriptions).toEqual([
      { LoadBalancerName: "classic", Tags: [{ Key: "env", Value: "test" }] },
    ]);
  });

  it("deletes load balancers, twice without complaint", async () => {
    await aws.elb.send(new DeleteLoadBalancerCommand({ LoadBalancerName: "by-zone" }));
    await aws.elb.send(new DeleteLoadBalancerCommand({ LoadBalancerName: "by-zone" }));
    expect(
      await failure(aws.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ["by-zone"] }))),
    ).toMatchObject({
      name: "AccessPointNotFoundException",
    });
  });
});
