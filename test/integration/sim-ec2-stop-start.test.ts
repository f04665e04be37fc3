// StopInstances, StartInstances and RebootInstances on light instances of the local region: their
// wire shapes, the states on the sim clock, EC2's refusals, the attached volumes and private IP a
// stopped instance keeps, and a classic load balancer's view of a stopped member; through the SDK
// and the AWS CLI.
import {
  CreateLoadBalancerCommand,
  DescribeInstanceHealthCommand,
  RegisterInstancesWithLoadBalancerCommand,
} from "@aws-sdk/client-elastic-load-balancing";
import {
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type Instance,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsClients } from "#shared/aws/clients.js";
import { startSim, type SimHandle } from "../../sim/index.js";
import { DEBIAN_12_AMI } from "../../sim/services/ec2/seed.js";
import { awsCli, awsCliError, describeInstance, simClients } from "../support/sim.js";

const DELAY = 50;
let sim: SimHandle;
let aws: AwsClients;

beforeAll(async () => {
  sim = await startSim({
    hostKind: "light",
    delays: { instancePendingMs: DELAY, instanceShutdownMs: DELAY },
  });
  aws = simClients(sim, { maxAttempts: 1 });
});
afterAll(async () => {
  aws.destroy();
  await sim.stop();
});

async function running(): Promise<Instance> {
  const out = await aws.ec2.send(
    new RunInstancesCommand({ ImageId: DEBIAN_12_AMI, MinCount: 1, MaxCount: 1, InstanceType: "t3.micro" }),
  );
  await sim.advanceClock(DELAY);
  return describe1(out.Instances![0]!.InstanceId!);
}

const describe1 = (id: string) => describeInstance(aws, id);

async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  const err = (await p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e,
  )) as { name: string; message: string };
  return { name: err.name, message: err.message };
}

const stop = (...ids: string[]) => aws.ec2.send(new StopInstancesCommand({ InstanceIds: ids }));
const start = (...ids: string[]) => aws.ec2.send(new StartInstancesCommand({ InstanceIds: ids }));

describe("StopInstances", () => {
  it("moves a running instance to stopping, then stopped, keeping its IP and its volumes attached", async () => {
    const before = await running();
    const id = before.InstanceId!;
    const out = await aws.ec2.send(
      new StopInstancesCommand({ InstanceIds: [id], Force: true, Hibernate: true }),
    );
    expect(out.StoppingInstances).toEqual([
      {
        InstanceId: id,
        CurrentState: { Code: 64, Name: "stopping" },
        PreviousState: { Code: 16, Name: "running" },
      },
    ]);
    expect((await describe1(id)).State).toEqual({ Code: 64, Name: "stopping" });
    await sim.advanceClock(DELAY);
    const stopped = await describe1(id);
    expect(stopped).toMatchObject({
      State: { Code: 80, Name: "stopped" },
      StateReason: {
        Code: "Client.UserInitiatedShutdown",
        Message: "Client.UserInitiatedShutdown: User initiated shutdown",
      },
      PrivateIpAddress: before.PrivateIpAddress,
      PrivateDnsName: before.PrivateDnsName,
      BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { Status: "attached" } }],
    });
    expect(stopped.StateTransitionReason).toMatch(/^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/);
    expect(stopped.PublicIpAddress).toBeUndefined();
    const volumeId = stopped.BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    const volumes = await aws.ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }));
    expect(volumes.Volumes?.[0]).toMatchObject({
      State: "in-use",
      Attachments: [{ InstanceId: id, State: "attached" }],
    });
    const filtered = await aws.ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: "instance-state-name", Values: ["stopped"] }] }),
    );
    expect(filtered.Reservations?.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toContain(id);
  });

  it("answers a stopping or stopped instance with its state, unchanged", async () => {
    const id = (await running()).InstanceId!;
    await stop(id);
    expect((await stop(id)).StoppingInstances?.[0]).toMatchObject({
      CurrentState: { Name: "stopping" },
      PreviousState: { Name: "stopping" },
    });
    await sim.advanceClock(DELAY);
    expect((await stop(id)).StoppingInstances?.[0]).toMatchObject({
      CurrentState: { Code: 80, Name: "stopped" },
      PreviousState: { Code: 80, Name: "stopped" },
    });
  });

  it("refuses unknown, malformed and terminated instances, changing none of the others", async () => {
    const id = (await running()).InstanceId!;
    expect(await errorOf(stop(id, "i-0123456789abcdef0"))).toEqual({
      name: "InvalidInstanceID.NotFound",
      message: "The instance ID 'i-0123456789abcdef0' does not exist",
    });
    expect((await errorOf(stop("vol-0123456789abcdef0"))).name).toBe("InvalidInstanceID.Malformed");
    const gone = (await running()).InstanceId!;
    await aws.ec2.send(new TerminateInstancesCommand({ InstanceIds: [gone] }));
    expect(await errorOf(stop(id, gone))).toEqual({
      name: "IncorrectInstanceState",
      message: `This instance '${gone}' is not in a state from which it can be stopped.`,
    });
    await sim.advanceClock(DELAY);
    expect(await errorOf(start(gone))).toEqual({
      name: "IncorrectInstanceState",
      message: `The instance '${gone}' is not in a state from which it can be started.`,
    });
    expect((await describe1(id)).State?.Name).toBe("running");
  });

  it("refuses an instance still pending from its launch", async () => {
    const out = await aws.ec2.send(
      new RunInstancesCommand({ ImageId: DEBIAN_12_AMI, MinCount: 1, MaxCount: 1 }),
    );
    const id = out.Instances![0]!.InstanceId!;
    expect(await errorOf(stop(id))).toEqual({
      name: "IncorrectInstanceState",
      message: `Instance '${id}' cannot be stopped as it has never reached the 'running' state.`,
    });
    await sim.advanceClock(DELAY);
    await stop(id);
    await sim.advanceClock(DELAY);
    // Pending again after a start, it has been running before: it may stop.
    await start(id);
    expect((await stop(id)).StoppingInstances?.[0]).toMatchObject({
      CurrentState: { Name: "stopping" },
      PreviousState: { Name: "pending" },
    });
  });
});

describe("StartInstances", () => {
  it("moves a stopped instance to pending, then running, with a new launch time", async () => {
    const id = (await running()).InstanceId!;
    await stop(id);
    expect(await errorOf(start(id))).toEqual({
      name: "IncorrectInstanceState",
      message: `The instance '${id}' is not in a state from which it can be started.`,
    });
    await sim.advanceClock(DELAY);
    const stoppedAt = (await describe1(id)).LaunchTime!;
    await sim.advanceClock(60_000);
    const out = await start(id);
    expect(out.StartingInstances).toEqual([
      {
        InstanceId: id,
        CurrentState: { Code: 0, Name: "pending" },
        PreviousState: { Code: 80, Name: "stopped" },
      },
    ]);
    await sim.advanceClock(DELAY);
    const after = await describe1(id);
    expect(after.State).toEqual({ Code: 16, Name: "running" });
    expect(after.StateReason).toBeUndefined();
    expect(after.StateTransitionReason).toBe("");
    expect(after.LaunchTime!.getTime()).toBeGreaterThan(stoppedAt.getTime());
    expect((await start(id)).StartingInstances?.[0]).toMatchObject({
      CurrentState: { Name: "running" },
      PreviousState: { Name: "running" },
    });
  });
});

describe("RebootInstances", () => {
  it("keeps a running instance running, ignores a terminated one and refuses a stopped one", async () => {
    const id = (await running()).InstanceId!;
    await aws.ec2.send(new RebootInstancesCommand({ InstanceIds: [id] }));
    expect((await describe1(id)).State?.Name).toBe("running");
    const gone = (await running()).InstanceId!;
    await aws.ec2.send(new TerminateInstancesCommand({ InstanceIds: [gone] }));
    await sim.advanceClock(DELAY);
    await aws.ec2.send(new RebootInstancesCommand({ InstanceIds: [gone] }));
    expect((await describe1(gone)).State?.Name).toBe("terminated");
    await stop(id);
    await sim.advanceClock(DELAY);
    expect(await errorOf(aws.ec2.send(new RebootInstancesCommand({ InstanceIds: [id] })))).toEqual({
      name: "IncorrectInstanceState",
      message: `The instance '${id}' is not in a state from which it can be rebooted.`,
    });
  });
});

describe("the AWS CLI", () => {
  it("stops, starts and reboots an instance, and shows EC2's refusal", async () => {
    const id = (await running()).InstanceId!;
    expect(await awsCli(sim, ["ec2", "stop-instances", "--instance-ids", id])).toEqual({
      StoppingInstances: [
        {
          InstanceId: id,
          CurrentState: { Code: 64, Name: "stopping" },
          PreviousState: { Code: 16, Name: "running" },
        },
      ],
    });
    await sim.advanceClock(DELAY);
    const shown = (await awsCli(sim, [
      "ec2",
      "describe-instances",
      "--instance-ids",
      id,
      "--query",
      "Reservations[0].Instances[0].[State.Name, StateReason.Code]",
    ])) as string[];
    expect(shown).toEqual(["stopped", "Client.UserInitiatedShutdown"]);
    expect(await awsCliError(sim, ["ec2", "reboot-instances", "--instance-ids", id])).toContain(
      "An error occurred (IncorrectInstanceState) when calling the RebootInstances operation",
    );
    expect(await awsCli(sim, ["ec2", "start-instances", "--instance-ids", id])).toEqual({
      StartingInstances: [
        {
          InstanceId: id,
          CurrentState: { Code: 0, Name: "pending" },
          PreviousState: { Code: 80, Name: "stopped" },
        },
      ],
    });
    await sim.advanceClock(DELAY);
    expect(await awsCli(sim, ["ec2", "reboot-instances", "--instance-ids", id])).toEqual({});
    await awsCli(sim, ["ec2", "terminate-instances", "--instance-ids", id]);
    expect(await awsCliError(sim, ["ec2", "stop-instances", "--instance-ids", id])).toContain(
      `An error occurred (IncorrectInstanceState) when calling the StopInstances operation: This instance '${id}' is not in a state from which it can be stopped.`,
    );
  });
});

describe("a classic load balancer", () => {
  it("reports a stopped member OutOfService", async () => {
    const instance = await running();
    const id = instance.InstanceId!;
    await aws.elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: "stops",
        Listeners: [{ Protocol: "HTTP", LoadBalancerPort: 80, InstancePort: 80 }],
        AvailabilityZones: [instance.Placement!.AvailabilityZone!],
      }),
    );
    await aws.elb.send(
      new RegisterInstancesWithLoadBalancerCommand({
        LoadBalancerName: "stops",
        Instances: [{ InstanceId: id }],
      }),
    );
    await stop(id);
    await sim.advanceClock(DELAY);
    const out = await aws.elb.send(new DescribeInstanceHealthCommand({ LoadBalancerName: "stops" }));
    expect(out.InstanceStates).toEqual([
      {
        InstanceId: id,
        State: "OutOfService",
        ReasonCode: "Instance",
        Description: "Instance is in stopped state.",
      },
    ]);
  });
});
