// A local region with full hosts for the agent's end-to-end tests: a group whose launch template
// carries cloud-init/agent.yaml (the agent served over HTTP, a busybox image in a registry on
// loopback) and whose members are held by a launch hook, with the pointer naming release r1.
import { CreateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { CreateLaunchTemplateCommand, DescribeSubnetsCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll } from "vitest";
import { buildBusyboxImage, type BusyboxImage } from "../../sim/testing/busybox-image.js";
import { startRegistry, type Registry } from "../../sim/testing/registry.js";
import { KEY_NAME, startFleet, type Fleet } from "../e2e/helpers/fleet.js";
import { AMI } from "../helpers/autoscaling.js";
import { buildAgent, publishRelease, renderTemplate, serveAgent, type FileServer } from "./agent-fleet.js";
import { pointTo, startPointerServer, type PointerServer } from "./agent-support.js";

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
}

/**
 * Makes the region and the group before the file's tests and stops everything after them. The
 * returned object is filled in once the group exists.
 */
export function useAgentGroup(o: AgentGroupOptions): AgentGroup {
  const world = {} as AgentGroup;
  beforeAll(async () => {
    const registry = await startRegistry();
    world.registry = registry;
    [world.image] = await Promise.all([buildBusyboxImage({ registry }), buildAgent()]);
    const fleet = await startFleet(o.prefix, { insecureRegistries: [registry.host] });
    world.fleet = fleet;
    world.agent = await serveAgent();
    world.pointer = await startPointerServer();
    const subnet = (await fleet.aws.ec2.send(new DescribeSubnetsCommand({}))).Subnets![0]!;
    world.az = subnet.AvailabilityZone!;
    pointTo(
      world.pointer,
      "r1",
      await publishRelease(fleet, world.az, "r1", { "www/index.html": "release r1\n" }),
    );
    const lt = await fleet.aws.ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: o.group,
        LaunchTemplateData: {
          ImageId: AMI,
          InstanceType: "t3.micro",
          KeyName: KEY_NAME,
          UserData: Buffer.from(
            await renderTemplate({
              agent: world.agent,
              pointerUrl: world.pointer.url,
              image: world.image.ref,
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
        VPCZoneIdentifier: subnet.SubnetId!,
        LifecycleHookSpecificationList: [
          {
            LifecycleHookName: "release-ready",
            LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
            HeartbeatTimeout: o.heartbeatTimeout,
          },
        ],
      }),
    );
  });
  afterAll(async () => {
    await world.pointer?.close();
    await world.agent?.close();
    await world.fleet?.stop();
    await world.registry?.stop();
  });
  return world;
}
