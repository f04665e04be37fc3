// An Auto Scaling member stopped through EC2: the group's EC2 health check marks it Unhealthy and
// the group terminates and replaces it, with the activity cause AWS gives.
import { StopInstancesCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { createGroupIn, useAsgWorld } from "../support/asg-world.js";
import { activities, describeGroup, inService, waitFor, waitInService } from "../support/autoscaling.js";

const world = useAsgWorld("stopped");

describe("a stopped member", () => {
  it("is replaced by the group", async () => {
    await createGroupIn(world, "stops", { MaxSize: 4, DesiredCapacity: 2 });
    const before = inService(await waitInService(world.aws, "stops", 2));
    const stopped = before[0]!;
    await world.aws.ec2.send(new StopInstancesCommand({ InstanceIds: [stopped] }));
    const after = await waitFor(
      () => describeGroup(world.aws, "stops"),
      (g) => inService(g).length === 2 && !(g?.Instances ?? []).some((i) => i.InstanceId === stopped),
      "a replacement of the stopped member",
    );
    expect(inService(after)).toContain(before[1]);
    const log = await activities(world.aws, "stops");
    expect(log.find((a) => a.Description === `Terminating EC2 instance: ${stopped}`)).toMatchObject({
      StatusCode: "Successful",
      Cause: expect.stringMatching(
        /an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped\.$/,
      ),
    });
    expect(log.filter((a) => a.Description?.startsWith("Launching a new EC2 instance: "))).toHaveLength(3);
  });
});
