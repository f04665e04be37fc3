// Launch templates in the local region: create, versions (from a source), describe by
// $Latest/$Default/number, default version, delete, launching from them, and Auto Scaling's hook.
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DeleteLaunchTemplateCommand,
  DeleteLaunchTemplateVersionsCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeVolumesCommand,
  ModifyLaunchTemplateCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSim, type SimHandle } from "../../sim/index.js";
import { DEBIAN_12_AMI, UBUNTU_2404_AMI } from "../../sim/services/ec2/seed.js";
import type { AwsClients } from "#shared/aws/clients.js";
import { awsCli, awsCliError, simClients } from "../support/sim.js";

let sim: SimHandle;
let aws: AwsClients;
let templateId: string;

beforeAll(async () => {
  sim = await startSim();
  aws = simClients(sim, { maxAttempts: 1 });
  const created = await aws.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: "web",
      VersionDescription: "first",
      LaunchTemplateData: {
        ImageId: DEBIAN_12_AMI,
        InstanceType: "t3.micro",
        UserData: Buffer.from("#!/bin/sh\n").toString("base64"),
        MetadataOptions: { HttpTokens: "required" },
        BlockDeviceMappings: [
          { DeviceName: "/dev/sdf", Ebs: { VolumeSize: 5, VolumeType: "gp3", DeleteOnTermination: true } },
        ],
        TagSpecifications: [
          { ResourceType: "instance", Tags: [{ Key: "app", Value: "web" }] },
          { ResourceType: "volume", Tags: [{ Key: "app", Value: "web-data" }] },
        ],
      },
      TagSpecifications: [{ ResourceType: "launch-template", Tags: [{ Key: "team", Value: "ops" }] }],
    }),
  );
  templateId = created.LaunchTemplate!.LaunchTemplateId!;
});
afterAll(async () => {
  aws.destroy();
  await sim.stop();
});

const errorOf = (p: Promise<unknown>): Promise<{ name: string; message: string }> =>
  p.then(
    () => ({ name: "no error", message: "" }),
    (e: { name: string; message: string }) => ({ name: e.name, message: e.message }),
  );

describe("launch templates", () => {
  it("creates a template with version 1 as default and latest, refusing a second of the same name", async () => {
    const described = await aws.ec2.send(
      new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ["web"] }),
    );
    expect(described.LaunchTemplates).toEqual([
      expect.objectContaining({
        LaunchTemplateId: templateId,
        LaunchTemplateName: "web",
        DefaultVersionNumber: 1,
        LatestVersionNumber: 1,
        CreatedBy: `arn:aws:iam::${sim.accountId}:root`,
        Tags: [{ Key: "team", Value: "ops" }],
      }),
    ]);
    expect(
      await errorOf(
        aws.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "web", LaunchTemplateData: {} })),
      ),
    ).toEqual({
      name: "InvalidLaunchTemplateName.AlreadyExistsException",
      message: "Launch template name already in use.",
    });
  });

  it("adds versions from a source version and resolves $Latest, $Default and numbers", async () => {
    const v2 = await aws.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: templateId,
        SourceVersion: "1",
        VersionDescription: "ubuntu",
        LaunchTemplateData: { ImageId: UBUNTU_2404_AMI },
      }),
    );
    expect(v2.LaunchTemplateVersion).toMatchObject({
      VersionNumber: 2,
      DefaultVersion: false,
      VersionDescription: "ubuntu",
    });
    // Inherited from version 1, except the image.
    expect(v2.LaunchTemplateVersion?.LaunchTemplateData).toMatchObject({
      ImageId: UBUNTU_2404_AMI,
      InstanceType: "t3.micro",
      MetadataOptions: { HttpTokens: "required" },
      BlockDeviceMappings: [
        { DeviceName: "/dev/sdf", Ebs: { VolumeSize: 5, VolumeType: "gp3", DeleteOnTermination: true } },
      ],
      TagSpecifications: [
        { ResourceType: "instance", Tags: [{ Key: "app", Value: "web" }] },
        { ResourceType: "volume", Tags: [{ Key: "app", Value: "web-data" }] },
      ],
    });
    const versions = async (v: string[]): Promise<(number | undefined)[]> =>
      (
        (
          await aws.ec2.send(
            new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: "web", Versions: v }),
          )
        ).LaunchTemplateVersions ?? []
      ).map((x) => x.VersionNumber);
    expect(await versions(["$Latest"])).toEqual([2]);
    expect(await versions(["$Default"])).toEqual([1]);
    expect(await versions(["1"])).toEqual([1]);
    expect(await versions([])).toEqual([2, 1]);
    expect(
      await errorOf(
        aws.ec2.send(
          new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateId, Versions: ["9"] }),
        ),
      ),
    ).toEqual({
      name: "InvalidLaunchTemplateId.VersionNotFound",
      message: `Could not find the specified version 9 for the launch template with ID ${templateId}.`,
    });

    const modified = await aws.ec2.send(
      new ModifyLaunchTemplateCommand({ LaunchTemplateId: templateId, DefaultVersion: "2" }),
    );
    expect(modified.LaunchTemplate).toMatchObject({ DefaultVersionNumber: 2, LatestVersionNumber: 2 });
    expect(await versions(["$Default"])).toEqual([2]);
    const defaults = await aws.ec2.send(
      new DescribeLaunchTemplateVersionsCommand({
        LaunchTemplateId: templateId,
        Filters: [{ Name: "is-default-version", Values: ["true"] }],
      }),
    );
    expect(defaults.LaunchTemplateVersions?.map((v) => v.VersionNumber)).toEqual([2]);
    await aws.ec2.send(
      new ModifyLaunchTemplateCommand({ LaunchTemplateId: templateId, DefaultVersion: "1" }),
    );
  });

  it("launches from a version, explicit parameters over the template's, with EC2's template tags", async () => {
    const out = await aws.ec2.send(
      new RunInstancesCommand({
        MinCount: 1,
        MaxCount: 1,
        LaunchTemplate: { LaunchTemplateName: "web", Version: "$Latest" },
        InstanceType: "t3.large",
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "extra", Value: "yes" }] }],
      }),
    );
    const instance = out.Instances![0]!;
    expect(instance).toMatchObject({
      ImageId: UBUNTU_2404_AMI,
      InstanceType: "t3.large",
      MetadataOptions: { HttpTokens: "required" },
    });
    expect(Object.fromEntries(instance.Tags!.map((t) => [t.Key, t.Value]))).toEqual({
      app: "web",
      extra: "yes",
      "aws:ec2launchtemplate:id": templateId,
      "aws:ec2launchtemplate:version": "2",
    });
    const volumes = await aws.ec2.send(
      new DescribeVolumesCommand({
        Filters: [{ Name: "attachment.instance-id", Values: [instance.InstanceId!] }],
      }),
    );
    const byDevice = Object.fromEntries(volumes.Volumes!.map((v) => [v.Attachments![0]!.Device, v]));
    expect(byDevice["/dev/sdf"]).toMatchObject({
      Size: 5,
      VolumeType: "gp3",
      Tags: [{ Key: "app", Value: "web-data" }],
    });
    expect(byDevice["/dev/xvda"]).toMatchObject({ Size: 8, State: "in-use" });
  });

  it("resolves templates for Auto Scaling through Ec2Internal", () => {
    const region = sim.sim.state.region(sim.region)!;
    const resolved = sim.sim.internal.ec2!.resolveLaunchTemplate(region, { launchTemplateName: "web" });
    expect(resolved).toMatchObject({ launchTemplateId: templateId, launchTemplateName: "web", version: "1" });
    expect(resolved.data.imageId).toBe(DEBIAN_12_AMI);
    expect(
      sim.sim.internal.ec2!.resolveLaunchTemplate(region, {
        launchTemplateId: templateId,
        version: "$Latest",
      }).version,
    ).toBe("2");
    expect(() => sim.sim.internal.ec2!.resolveLaunchTemplate(region, { launchTemplateName: "nope" })).toThrow(
      "At least one of the launch templates specified in the request does not exist.",
    );
  });

  it("reports unknown templates with EC2's codes", async () => {
    expect(
      (await errorOf(aws.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ["nope"] }))))
        .name,
    ).toBe("InvalidLaunchTemplateName.NotFoundException");
    expect(
      (
        await errorOf(
          aws.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ["lt-00000000000000000"] })),
        )
      ).name,
    ).toBe("InvalidLaunchTemplateId.NotFound");
    expect(
      (await errorOf(aws.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ["lt-bad"] }))))
        .name,
    ).toBe("InvalidLaunchTemplateId.Malformed");
  });

  it("pages and filters templates, and deletes them", async () => {
    for (const name of ["a-one", "a-two", "a-three"])
      await aws.ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: name,
          LaunchTemplateData: { ImageId: DEBIAN_12_AMI },
        }),
      );
    const filters = [{ Name: "launch-template-name", Values: ["a-*"] }];
    const first = await aws.ec2.send(new DescribeLaunchTemplatesCommand({ Filters: filters, MaxResults: 2 }));
    const second = await aws.ec2.send(
      new DescribeLaunchTemplatesCommand({ Filters: filters, MaxResults: 2, NextToken: first.NextToken }),
    );
    expect([first.LaunchTemplates?.length, second.LaunchTemplates?.length, second.NextToken]).toEqual([
      2,
      1,
      undefined,
    ]);
    const deleted = await aws.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: "a-one" }));
    expect(deleted.LaunchTemplate?.LaunchTemplateName).toBe("a-one");
    expect(
      (await errorOf(aws.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: "a-one" })))).name,
    ).toBe("InvalidLaunchTemplateName.NotFoundException");
  });

  it("deletes versions other than the default", async () => {
    await aws.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateName: "a-two",
        LaunchTemplateData: { InstanceType: "t3.nano" },
      }),
    );
    const out = await aws.ec2.send(
      new DeleteLaunchTemplateVersionsCommand({ LaunchTemplateName: "a-two", Versions: ["1", "2", "7"] }),
    );
    expect(out.SuccessfullyDeletedLaunchTemplateVersions?.map((v) => v.VersionNumber)).toEqual([2]);
    expect(
      out.UnsuccessfullyDeletedLaunchTemplateVersions?.map((v) => [v.VersionNumber, v.ResponseError?.Code]),
    ).toEqual([
      [1, "launchTemplateVersionIsDefault"],
      [7, "launchTemplateVersionDoesNotExist"],
    ]);
  });

  it("hides a new template under the eventual-consistency fault", async () => {
    sim.setFault("ec2:CreateLaunchTemplate", { hideNewForDescribes: 1 });
    await aws.ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: "late",
        LaunchTemplateData: { ImageId: DEBIAN_12_AMI },
      }),
    );
    sim.setFault("ec2:CreateLaunchTemplate", undefined);
    expect(
      (await errorOf(aws.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ["late"] }))))
        .name,
    ).toBe("InvalidLaunchTemplateName.NotFoundException");
    expect(
      (await aws.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ["late"] })))
        .LaunchTemplates,
    ).toHaveLength(1);
  });
});

describe("through the AWS CLI", () => {
  it("creates a template and a version, describes versions, launches from it", async () => {
    const data = JSON.stringify({
      ImageId: DEBIAN_12_AMI,
      InstanceType: "t3.micro",
      SecurityGroups: ["default"],
      TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "via", Value: "cli" }] }],
    });
    const created = (await awsCli(sim, [
      "ec2",
      "create-launch-template",
      "--launch-template-name",
      "cli-lt",
      "--launch-template-data",
      data,
    ])) as {
      LaunchTemplate: { LaunchTemplateId: string; LatestVersionNumber: number };
    };
    expect(created.LaunchTemplate.LatestVersionNumber).toBe(1);
    await awsCli(sim, [
      "ec2",
      "create-launch-template-version",
      "--launch-template-name",
      "cli-lt",
      "--source-version",
      "1",
      "--launch-template-data",
      JSON.stringify({ InstanceType: "t3.small" }),
    ]);
    const versions = (await awsCli(sim, [
      "ec2",
      "describe-launch-template-versions",
      "--launch-template-id",
      created.LaunchTemplate.LaunchTemplateId,
      "--versions",
      "$Latest",
      "1",
    ])) as {
      LaunchTemplateVersions: {
        VersionNumber: number;
        LaunchTemplateData: { InstanceType: string; ImageId: string };
      }[];
    };
    expect(
      versions.LaunchTemplateVersions.map((v) => [
        v.VersionNumber,
        v.LaunchTemplateData.InstanceType,
        v.LaunchTemplateData.ImageId,
      ]),
    ).toEqual([
      [2, "t3.small", DEBIAN_12_AMI],
      [1, "t3.micro", DEBIAN_12_AMI],
    ]);
    const ran = (await awsCli(sim, [
      "ec2",
      "run-instances",
      "--launch-template",
      "LaunchTemplateName=cli-lt,Version=2",
      "--count",
      "1",
    ])) as {
      Instances: { InstanceType: string; SecurityGroups: { GroupName: string }[] }[];
    };
    expect(ran.Instances[0]).toMatchObject({
      InstanceType: "t3.small",
      SecurityGroups: [{ GroupName: "default" }],
    });
    expect(
      await awsCliError(sim, [
        "ec2",
        "create-launch-template",
        "--launch-template-name",
        "cli-lt",
        "--launch-template-data",
        "{}",
      ]),
    ).toContain("InvalidLaunchTemplateName.AlreadyExistsException");
  });
});
