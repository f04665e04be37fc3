// docs/spec/deploy.md#launch-config-template: existing launch settings whose values serve as defaults, so the
// other settings may be omitted. Launch templates are the default kind, yet a record written for the plugin
// names a launch configuration (docs/spec/deploy.md#diff-launch-templates): either kind of source is found by
// its name.
import { CreateLaunchConfigurationCommand } from "@aws-sdk/client-auto-scaling";
import { CreateLaunchTemplateCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { observeTemplateSources } from "../../release-server/deploy/observe/launch.js";
import { startSim, type SimHandle } from "../../sim/index.js";
import { AL2023_AMI, DEBIAN_12_AMI } from "../../sim/services/ec2/seed.js";
import type { AwsClients } from "#shared/aws/clients.js";
import { simClients } from "../support/sim.js";

let sim: SimHandle;
let aws: AwsClients;

beforeAll(async () => {
  sim = await startSim();
  aws = simClients(sim, { maxAttempts: 1 });
  await aws.autoscaling.send(
    new CreateLaunchConfigurationCommand({
      LaunchConfigurationName: "another_launch_config",
      ImageId: AL2023_AMI,
      InstanceType: "t3.small",
      UserData: Buffer.from("#!/bin/sh\ndocker run {{image_id}}\n").toString("base64"),
    }),
  );
  await aws.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: "base-template",
      LaunchTemplateData: { ImageId: DEBIAN_12_AMI, InstanceType: "t3.micro" },
    }),
  );
});
afterAll(async () => {
  aws.destroy();
  await sim.stop();
});

describe("observeTemplateSources", () => {
  it('"template - name of an existing launch configuration to use as a template": found for a launch template too', async () => {
    expect(await observeTemplateSources(aws, ["another_launch_config"], [])).toEqual({
      another_launch_config: expect.objectContaining({
        imageId: AL2023_AMI,
        instanceType: "t3.small",
        userData: "#!/bin/sh\ndocker run {{image_id}}\n",
      }) as unknown,
    });
  });

  it("a launch template of the name comes first; a name that is neither is left out", async () => {
    const sources = await observeTemplateSources(aws, ["base-template", "nothing-here"], []);
    expect(Object.keys(sources)).toEqual(["base-template"]);
    expect(sources["base-template"]).toMatchObject({ imageId: DEBIAN_12_AMI, instanceType: "t3.micro" });
  });

  it("with kind: configuration, a launch configuration", async () => {
    expect(Object.keys(await observeTemplateSources(aws, [], ["another_launch_config"]))).toEqual([
      "another_launch_config",
    ]);
  });
});
