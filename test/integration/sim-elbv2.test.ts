// ELBv2 conformance through the SDK and the AWS CLI: load balancers, target groups, listeners,
// targets, attributes and tags, with AWS's errors and Marker/PageSize paging.
import { TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  RegisterTargetsCommand,
  RemoveTagsCommand,
  paginateDescribeTargetGroups,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsClients } from "#shared/aws/clients.js";
import { startSim, type SimHandle } from "../../sim/index.js";
import { defaultSubnets, failure, launch, type Subnets } from "../support/lb.js";
import { awsCli, awsCliError, simClients } from "../support/sim.js";

let sim: SimHandle;
let aws: AwsClients;
let net: Subnets;
let lbArn: string;

const subnet = (zone: string): string => net.byZone[`us-east-1${zone}`] ?? "";

beforeAll(async () => {
  sim = await startSim({ hostKind: "light" });
  aws = simClients(sim, { maxAttempts: 1 });
  net = await defaultSubnets(aws);
  const out = await aws.elbv2.send(
    new CreateLoadBalancerCommand({
      Name: "front",
      Subnets: [subnet("a"), subnet("b")],
      Tags: [{ Key: "team", Value: "web" }],
    }),
  );
  lbArn = out.LoadBalancers?.[0]?.LoadBalancerArn ?? "";
});
afterAll(async () => {
  aws.destroy();
  await sim.stop();
});

async function createTg(name: string, port = 80): Promise<string> {
  const out = await aws.elbv2.send(
    new CreateTargetGroupCommand({ Name: name, Protocol: "HTTP", Port: port, VpcId: net.vpcId }),
  );
  return out.TargetGroups?.[0]?.TargetGroupArn ?? "";
}

describe("load balancers", () => {
  it("creates an application load balancer that turns active", async () => {
    const out = await aws.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] }));
    expect(out.LoadBalancers?.[0]).toMatchObject({
      LoadBalancerName: "front",
      Type: "application",
      Scheme: "internet-facing",
      VpcId: net.vpcId,
      CanonicalHostedZoneId: "Z35SXDOTRQ7X7K",
      AvailabilityZones: [
        { ZoneName: "us-east-1a", SubnetId: subnet("a") },
        { ZoneName: "us-east-1b", SubnetId: subnet("b") },
      ],
    });
    expect(lbArn).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/app\/front\/[0-9a-f]{16}$/,
    );
    expect(out.LoadBalancers?.[0]?.DNSName).toMatch(/^front-\d+\.us-east-1\.elb\.amazonaws\.com$/);
    await sim.advanceClock(1000);
    const cli = (await awsCli(sim, ["elbv2", "describe-load-balancers", "--names", "front"])) as {
      LoadBalancers: { State: { Code: string }; LoadBalancerArn: string }[];
    };
    expect(cli.LoadBalancers).toEqual([
      expect.objectContaining({ LoadBalancerArn: lbArn, State: { Code: "active" } }),
    ]);
  });

  it("answers the same request with the same load balancer and refuses different settings", async () => {
    const again = await aws.elbv2.send(
      new CreateLoadBalancerCommand({ Name: "front", Subnets: [subnet("a"), subnet("b")] }),
    );
    expect(again.LoadBalancers?.[0]?.LoadBalancerArn).toBe(lbArn);
    expect(
      await failure(
        aws.elbv2.send(new CreateLoadBalancerCommand({ Name: "front", Subnets: [subnet("a"), subnet("c")] })),
      ),
    ).toMatchObject({
      name: "DuplicateLoadBalancerNameException",
      message: "A load balancer with the same name 'front' exists, but with different settings",
      status: 400,
    });
  });

  it("checks subnets as AWS does", async () => {
    expect(
      await failure(aws.elbv2.send(new CreateLoadBalancerCommand({ Name: "one", Subnets: [subnet("a")] }))),
    ).toMatchObject({
      name: "ValidationError",
      message: "At least two subnets in two different Availability Zones must be specified",
    });
    expect(
      await failure(
        aws.elbv2.send(
          new CreateLoadBalancerCommand({ Name: "bad", Subnets: [subnet("a"), "subnet-0000000000000000"] }),
        ),
      ),
    ).toMatchObject({ name: "SubnetNotFoundException", message: "The specified subnet does not exist." });
    const nlb = await aws.elbv2.send(
      new CreateLoadBalancerCommand({ Name: "tcp", Type: "network", Subnets: [subnet("c")] }),
    );
    expect(nlb.LoadBalancers?.[0]).toMatchObject({
      Type: "network",
      CanonicalHostedZoneId: "Z26RNL4JYFTOTI",
    });
    await aws.elbv2.send(
      new DeleteLoadBalancerCommand({ LoadBalancerArn: nlb.LoadBalancers?.[0]?.LoadBalancerArn }),
    );
  });

  it("answers unknown names and ARNs with LoadBalancerNotFound", async () => {
    expect(
      await failure(aws.elbv2.send(new DescribeLoadBalancersCommand({ Names: ["front", "nope"] }))),
    ).toMatchObject({
      name: "LoadBalancerNotFoundException",
      message: "Load balancers '[nope]' not found",
      status: 400,
    });
    const stderr = await awsCliError(sim, [
      "elbv2",
      "describe-load-balancers",
      "--load-balancer-arns",
      `${lbArn}0`,
    ]);
    expect(stderr).toContain("(LoadBalancerNotFound)");
    expect(stderr).toContain("One or more load balancers not found");
  });
});

describe("target groups", () => {
  it("creates a group with AWS's default health check, readable by the AWS CLI", async () => {
    const arn = await createTg("defaults", 8080);
    expect(arn).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/defaults\/[0-9a-f]{16}$/,
    );
    const out = (await awsCli(sim, ["elbv2", "describe-target-groups", "--names", "defaults"])) as {
      TargetGroups: unknown[];
    };
    expect(out.TargetGroups).toEqual([
      {
        TargetGroupArn: arn,
        TargetGroupName: "defaults",
        Protocol: "HTTP",
        Port: 8080,
        VpcId: net.vpcId,
        HealthCheckProtocol: "HTTP",
        HealthCheckPort: "traffic-port",
        HealthCheckEnabled: true,
        HealthCheckIntervalSeconds: 30,
        HealthCheckTimeoutSeconds: 5,
        HealthyThresholdCount: 5,
        UnhealthyThresholdCount: 2,
        HealthCheckPath: "/",
        Matcher: { HttpCode: "200" },
        LoadBalancerArns: [],
        TargetType: "instance",
        ProtocolVersion: "HTTP1",
        IpAddressType: "ipv4",
      },
    ]);
  });

  it("refuses a second group of the same name with other settings, and bad health settings", async () => {
    await createTg("dup", 80);
    expect(await createTg("dup", 80)).toBeTruthy();
    expect(
      await failure(
        aws.elbv2.send(
          new CreateTargetGroupCommand({ Name: "dup", Protocol: "HTTP", Port: 81, VpcId: net.vpcId }),
        ),
      ),
    ).toMatchObject({
      name: "DuplicateTargetGroupNameException",
      message: "A target group with the same name 'dup' exists, but with different settings",
    });
    expect(
      await failure(
        aws.elbv2.send(
          new CreateTargetGroupCommand({
            Name: "slow",
            Protocol: "HTTP",
            Port: 80,
            VpcId: net.vpcId,
            HealthCheckIntervalSeconds: 5,
            HealthCheckTimeoutSeconds: 5,
          }),
        ),
      ),
    ).toMatchObject({
      name: "ValidationError",
      message: "Health check timeout '5' must be smaller than the interval '5'",
    });
    expect(
      await failure(
        aws.elbv2.send(
          new CreateTargetGroupCommand({
            Name: "tcp-check",
            Protocol: "HTTP",
            Port: 80,
            VpcId: net.vpcId,
            HealthCheckProtocol: "TCP",
          }),
        ),
      ),
    ).toMatchObject({
      name: "ValidationError",
      message: "Health check protocol 'TCP' is not supported for target groups with the protocol 'HTTP'",
    });
  });

  it("pages with Marker/PageSize through the SDK paginator", async () => {
    await Promise.all(["page-1", "page-2", "page-3"].map((n) => createTg(n)));
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeTargetGroups({ client: aws.elbv2 }, { PageSize: 2 })) {
      pages += 1;
      names.push(...(page.TargetGroups ?? []).map((t) => t.TargetGroupName ?? ""));
    }
    expect(names).toEqual(expect.arrayContaining(["page-1", "page-2", "page-3", "defaults", "dup"]));
    expect(pages).toBe(Math.ceil(names.length / 2));
    expect(
      await failure(aws.elbv2.send(new DescribeTargetGroupsCommand({ Names: ["page-1", "gone"] }))),
    ).toMatchObject({
      name: "TargetGroupNotFoundException",
      message: "Target groups '[gone]' not found",
    });
    expect(await failure(aws.elbv2.send(new DescribeTargetGroupsCommand({ PageSize: 401 })))).toMatchObject({
      name: "ValidationError",
    });
  });

  it("modifies health check settings and attributes", async () => {
    const arn = await createTg("tuned");
    const out = await aws.elbv2.send(
      new ModifyTargetGroupCommand({
        TargetGroupArn: arn,
        HealthCheckPath: "/ready",
        HealthyThresholdCount: 2,
        Matcher: { HttpCode: "200-399" },
      }),
    );
    expect(out.TargetGroups?.[0]).toMatchObject({
      HealthCheckPath: "/ready",
      HealthyThresholdCount: 2,
      Matcher: { HttpCode: "200-399" },
    });
    const attrs = await aws.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }));
    expect(attrs.Attributes).toContainEqual({ Key: "deregistration_delay.timeout_seconds", Value: "300" });
    expect(attrs.Attributes).toContainEqual({ Key: "stickiness.type", Value: "lb_cookie" });
    const changed = await aws.elbv2.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: arn,
        Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "15" }],
      }),
    );
    expect(changed.Attributes).toContainEqual({ Key: "deregistration_delay.timeout_seconds", Value: "15" });
    expect(
      await failure(
        aws.elbv2.send(
          new ModifyTargetGroupAttributesCommand({
            TargetGroupArn: arn,
            Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "4000" }],
          }),
        ),
      ),
    ).toMatchObject({ name: "ValidationError" });
    expect(
      await failure(
        aws.elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: `${arn}0`, HealthCheckPath: "/" })),
      ),
    ).toMatchObject({ name: "TargetGroupNotFoundException", message: "One or more target groups not found" });
  });
});

describe("listeners", () => {
  it("associates a group with the load balancer and refuses to delete it while in use", async () => {
    const tgArn = await createTg("served");
    const listener = await aws.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Port: 80,
        DefaultActions: [{ Type: "forward", TargetGroupArn: tgArn }],
      }),
    );
    const listenerArn = listener.Listeners?.[0]?.ListenerArn ?? "";
    expect(listenerArn).toMatch(/:listener\/app\/front\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
    const byLb = await aws.elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn }));
    expect(byLb.TargetGroups?.map((t) => [t.TargetGroupName, t.LoadBalancerArns])).toEqual([
      ["served", [lbArn]],
    ]);
    const cli = (await awsCli(sim, ["elbv2", "describe-listeners", "--load-balancer-arn", lbArn])) as {
      Listeners: unknown[];
    };
    expect(cli.Listeners).toEqual([
      {
        ListenerArn: listenerArn,
        LoadBalancerArn: lbArn,
        Port: 80,
        Protocol: "HTTP",
        DefaultActions: [{ Type: "forward", TargetGroupArn: tgArn }],
      },
    ]);
    expect(
      await failure(aws.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn }))),
    ).toMatchObject({
      name: "ResourceInUseException",
      message: `Target group '${tgArn}' is currently in use by a listener or a rule`,
    });
    expect(
      await failure(
        aws.elbv2.send(
          new CreateListenerCommand({
            LoadBalancerArn: lbArn,
            Port: 80,
            DefaultActions: [{ Type: "forward", TargetGroupArn: await createTg("other") }],
          }),
        ),
      ),
    ).toMatchObject({ name: "DuplicateListenerException" });
    await aws.elbv2.send(new DeleteListenerCommand({ ListenerArn: listenerArn }));
    await aws.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn }));
    expect(
      await failure(aws.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tgArn] }))),
    ).toMatchObject({
      name: "TargetGroupNotFoundException",
    });
  });

  it("refuses a TCP group behind an application load balancer", async () => {
    const tcp = await aws.elbv2.send(
      new CreateTargetGroupCommand({ Name: "tcp-group", Protocol: "TCP", Port: 22, VpcId: net.vpcId }),
    );
    expect(tcp.TargetGroups?.[0]).toMatchObject({
      HealthCheckProtocol: "TCP",
      HealthCheckTimeoutSeconds: 10,
    });
    expect(
      await failure(
        aws.elbv2.send(
          new CreateListenerCommand({
            LoadBalancerArn: lbArn,
            Port: 81,
            DefaultActions: [{ Type: "forward", TargetGroupArn: tcp.TargetGroups?.[0]?.TargetGroupArn }],
          }),
        ),
      ),
    ).toMatchObject({ name: "IncompatibleProtocolsException" });
  });
});

describe("targets", () => {
  it("refuses unknown and terminated instances", async () => {
    const tgArn = await createTg("members");
    expect(
      await failure(
        aws.elbv2.send(
          new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: "i-0123456789abcdef0" }] }),
        ),
      ),
    ).toMatchObject({
      name: "InvalidTargetException",
      message: "The following targets are invalid: 'i-0123456789abcdef0'",
    });
    const instance = await launch(sim, aws, subnet("a"));
    await aws.ec2.send(new TerminateInstancesCommand({ InstanceIds: [instance.instanceId] }));
    await sim.advanceClock(1000);
    expect(
      await failure(
        aws.elbv2.send(
          new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: instance.instanceId }] }),
        ),
      ),
    ).toMatchObject({
      name: "InvalidTargetException",
      message: `The following targets are not in a running state and cannot be registered: '${instance.instanceId}'`,
    });
  });
});

describe("tags and faults", () => {
  it("adds, describes and removes tags on load balancers and target groups", async () => {
    const tgArn = await createTg("tagged");
    await aws.elbv2.send(
      new AddTagsCommand({ ResourceArns: [lbArn, tgArn], Tags: [{ Key: "env", Value: "test" }] }),
    );
    const out = await aws.elbv2.send(new DescribeTagsCommand({ ResourceArns: [lbArn, tgArn] }));
    expect(out.TagDescriptions).toEqual([
      {
        ResourceArn: lbArn,
        Tags: [
          { Key: "team", Value: "web" },
          { Key: "env", Value: "test" },
        ],
      },
      { ResourceArn: tgArn, Tags: [{ Key: "env", Value: "test" }] },
    ]);
    await awsCli(sim, ["elbv2", "remove-tags", "--resource-arns", lbArn, "--tag-keys", "team"]);
    const cli = (await awsCli(sim, ["elbv2", "describe-tags", "--resource-arns", lbArn])) as {
      TagDescriptions: unknown[];
    };
    expect(cli.TagDescriptions).toEqual([{ ResourceArn: lbArn, Tags: [{ Key: "env", Value: "test" }] }]);
    await aws.elbv2.send(new RemoveTagsCommand({ ResourceArns: [tgArn], TagKeys: ["env"] }));
    expect(
      await failure(aws.elbv2.send(new DescribeTagsCommand({ ResourceArns: [`${tgArn}0`] }))),
    ).toMatchObject({
      name: "TargetGroupNotFoundException",
    });
  });

  it("throttles with the Throttling code when a fault is injected", async () => {
    sim.setFault("elbv2:DescribeTargetGroups", { failNext: 1 });
    expect(await failure(aws.elbv2.send(new DescribeTargetGroupsCommand({})))).toMatchObject({
      name: "Throttling",
      status: 400,
    });
    expect(sim.callCounts()["elbv2:DescribeTargetGroups"]).toBeGreaterThan(0);
  });
});
