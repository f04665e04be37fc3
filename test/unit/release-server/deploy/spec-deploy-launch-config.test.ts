// docs/spec/deploy.md#launch-config: each attribute from the environment file to the launch template or
// launch configuration request the deploy sends, each test named by the sentence it checks.
import { describe, expect, it } from "vitest";
import type { ActionOf, Plan } from "../../../../release-server/deploy/actions.js";
import type { LaunchData } from "../../../../release-server/deploy/launch-data.js";
import {
  toLaunchConfiguration,
  toTemplateData,
} from "../../../../release-server/deploy/execute/sdk-launch.js";
import { env, model, observed, plan, request } from "../../../support/deploy-fixtures.js";

const record = (launchConfig: string) =>
  `vpc: vpc-1\nimage_check_type: none\nimage_id_subst: "{{image_id}}"\nlaunch_config: {${launchConfig}}\n`;
const base = "ami: ami-0123456789abcdef0, type: t3.micro";

function planned(launchConfig: string, over: Parameters<typeof observed>[0] = {}): Plan {
  return plan(request(env(record(launchConfig)), model({ front: "reg/front:1" })), observed(over));
}

function launchData(launchConfig: string): LaunchData {
  const p = planned(launchConfig);
  expect(p.problems).toEqual([]);
  const create = p.changes
    .flatMap((c) => c.actions)
    .find((a): a is ActionOf<"createLaunchTemplate"> => a.kind === "createLaunchTemplate");
  return create!.data;
}

const decoded = (b64: string | undefined) => Buffer.from(b64 ?? "", "base64").toString("utf8");

describe("launch_config attributes (docs/spec/deploy.md#launch-config)", () => {
  it('"ami - (string) AMI ID" and "type (string) VM type, e.g., t2.micro"', () => {
    const data = launchData(base);
    expect(toTemplateData(data, {})).toMatchObject({
      ImageId: "ami-0123456789abcdef0",
      InstanceType: "t3.micro",
    });
    expect(toLaunchConfiguration("shop.front_A", data)).toMatchObject({
      ImageId: "ami-0123456789abcdef0",
      InstanceType: "t3.micro",
    });
  });

  it('"profile (string, optional) - instance profile; note the AWS GUI displays this setting as “role”": a name or an ARN', () => {
    expect(toTemplateData(launchData(`${base}, profile: app-role`), {}).IamInstanceProfile).toEqual({
      Name: "app-role",
    });
    const arn = "arn:aws:iam::123456789012:instance-profile/app-role";
    expect(toTemplateData(launchData(`${base}, profile: "${arn}"`), {}).IamInstanceProfile).toEqual({
      Arn: arn,
    });
    expect(toLaunchConfiguration("n", launchData(`${base}, profile: app-role`)).IamInstanceProfile).toBe(
      "app-role",
    );
    expect(toTemplateData(launchData(base), {})).not.toHaveProperty("IamInstanceProfile");
  });

  it('user_data "string" - "literal value to place in user_data" (with the image substituted)', () => {
    const data = launchData(
      `${base}, user_data: "#!/bin/sh\\n docker run --restart=unless-stopped {{image_id}}"`,
    );
    expect(decoded(toTemplateData(data, {}).UserData)).toBe(
      "#!/bin/sh\n docker run --restart=unless-stopped reg/front:1",
    );
    expect(decoded(toLaunchConfiguration("n", data).UserData)).toBe(
      "#!/bin/sh\n docker run --restart=unless-stopped reg/front:1",
    );
  });

  it('"ebs_optimized = true | false. Defaults to false."', () => {
    expect(toTemplateData(launchData(base), {}).EbsOptimized).toBe(false);
    expect(toLaunchConfiguration("n", launchData(base)).EbsOptimized).toBe(false);
    expect(toTemplateData(launchData(`${base}, ebs_optimized: true`), {}).EbsOptimized).toBe(true);
  });

  it('"public_ip = true | false. If not set, the subnet’s default will be used."', () => {
    const unset = launchData(`${base}, sg: [web]`);
    expect(toTemplateData(unset, {})).not.toHaveProperty("NetworkInterfaces");
    expect(toTemplateData(unset, {}).SecurityGroupIds).toEqual(["sg-0123"]);
    expect(toLaunchConfiguration("n", unset)).not.toHaveProperty("AssociatePublicIpAddress");
    // Set: a launch template carries the choice on the primary interface, with the security groups.
    const on = launchData(`${base}, sg: [web], public_ip: true`);
    expect(toTemplateData(on, {})).toMatchObject({
      NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: true, Groups: ["sg-0123"] }],
    });
    expect(toTemplateData(on, {})).not.toHaveProperty("SecurityGroupIds");
    expect(toLaunchConfiguration("n", launchData(`${base}, public_ip: false`)).AssociatePublicIpAddress).toBe(
      false,
    );
  });

  it('"key - ssh key name ... This may be left undefined, the instances will be created without a key provided by AWS"', () => {
    expect(toTemplateData(launchData(base), {})).not.toHaveProperty("KeyName");
    expect(toLaunchConfiguration("n", launchData(base))).not.toHaveProperty("KeyName");
    expect(toTemplateData(launchData(`${base}, key: ops`), {}).KeyName).toBe("ops");
  });

  it('"the name, if given, should be one of the registered ssh key names in AWS": an unregistered key stops the plan', () => {
    expect(planned(`${base}, key: ops`, { keyPairs: ["ops"] }).problems).toEqual([]);
    expect(planned(`${base}, key: opz`, { keyPairs: ["ops"] }).problems).toEqual([
      'front: launch_config.key "opz" is not a registered key pair in us-east-1',
    ]);
  });
});
