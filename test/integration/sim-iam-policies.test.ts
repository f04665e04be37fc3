// The local region's IAM policy evaluation through real SDK clients: keys bound to policies by
// handle and control route, instance role credentials decided by the role's inline and attached
// policies (read at each request, ec2:SourceInstanceARN set) once role enforcement is on, resource
// tags and request tags in the context, the implied CreateTags of tags given at creation, S3 object
// ARNs, and an explicit Deny winning.
import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DescribeVolumesCommand,
  RunInstancesCommand,
  waitUntilVolumeAvailable,
} from "@aws-sdk/client-ec2";
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAwsClients, type AwsClients } from "#shared/aws/clients.js";
import { startSim, type SimHandle } from "../../sim/index.js";
import { DEBIAN_12_AMI } from "../../sim/services/ec2/seed.js";
import { simClients } from "../support/sim.js";

let sim: SimHandle;
let admin: AwsClients;
let iam: IAMClient;
const opened: AwsClients[] = [];

beforeAll(async () => {
  sim = await startSim({ hostKind: "light", delays: { instancePendingMs: 10, volumeCreateMs: 10 } });
  admin = simClients(sim, { maxAttempts: 1 });
  iam = new IAMClient({ region: sim.region, endpoint: sim.endpoint, credentials: sim.credentials });
  await admin.s3.send(new CreateBucketCommand({ Bucket: "pol-b" }));
  await admin.s3.send(new PutObjectCommand({ Bucket: "pol-b", Key: "open/x", Body: "1" }));
  await admin.s3.send(new PutObjectCommand({ Bucket: "pol-b", Key: "closed/x", Body: "2" }));
});
afterAll(async () => {
  for (const c of opened) c.destroy();
  iam?.destroy();
  admin?.destroy();
  await sim?.stop();
});

const clients = (credentials: { accessKeyId: string; secretAccessKey: string }) => {
  const c = createAwsClients({ region: sim.region, endpoint: sim.endpoint, credentials, maxAttempts: 1 });
  opened.push(c);
  return c;
};
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "allowed",
    (e: { name: string }) => e.name,
  );
const allow = (Action: string | string[], Resource: string | string[] = "*", Condition?: object) => ({
  Effect: "Allow" as const,
  Action,
  Resource,
  ...(Condition ? { Condition } : {}),
});
const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement }) as never;

describe("keys bound to policies", () => {
  it("decides EC2 calls on resource tags, request tags and the implied CreateTags", async () => {
    const c = clients(
      sim.bindPolicies([
        doc(
          allow("ec2:DescribeVolumes"),
          allow("ec2:CreateVolume", "arn:aws:ec2:*:*:volume/*", {
            StringEquals: { "aws:RequestTag/team": "a" },
          }),
          allow("ec2:CreateTags", "arn:aws:ec2:*:*:volume/*", {
            StringEquals: { "ec2:CreateAction": "CreateVolume" },
          }),
        ),
      ]),
    );
    const create = (tags: { Key: string; Value: string }[]) =>
      c.ec2.send(
        new CreateVolumeCommand({
          AvailabilityZone: `${sim.region}a`,
          Size: 1,
          ...(tags.length ? { TagSpecifications: [{ ResourceType: "volume", Tags: tags }] } : {}),
        }),
      );
    expect(await outcome(create([{ Key: "team", Value: "a" }]))).toBe("allowed");
    expect(await outcome(create([{ Key: "team", Value: "b" }]))).toBe("UnauthorizedOperation");
    expect(await outcome(create([]))).toBe("UnauthorizedOperation");
    expect(await outcome(c.ec2.send(new DescribeVolumesCommand({})))).toBe("allowed");
    // Describe-only credentials: the tags of a create need CreateTags as well.
    const noTags = clients(sim.bindPolicies([doc(allow("ec2:CreateVolume", "arn:aws:ec2:*:*:volume/*"))]));
    const err = await noTags.ec2
      .send(
        new CreateVolumeCommand({
          AvailabilityZone: `${sim.region}a`,
          Size: 1,
          TagSpecifications: [{ ResourceType: "volume", Tags: [{ Key: "team", Value: "a" }] }],
        }),
      )
      .catch((e: Error) => e);
    expect((err as Error).message).toMatch(
      /^You are not authorized to perform this operation\. User: arn:aws:iam::\d+:user\/bound-\d+ is not authorized to perform: ec2:CreateTags on resource: arn:aws:ec2:[^:]+:\d+:volume\/\* because no identity-based policy allows the ec2:CreateTags action$/,
    );
  });

  it("checks S3 object ARNs, and an explicit Deny wins", async () => {
    const c = clients(
      sim.bindPolicies([
        doc(allow("s3:GetObject", "arn:aws:s3:::pol-b/*"), {
          Effect: "Deny",
          Action: "s3:*",
          Resource: "arn:aws:s3:::pol-b/closed/*",
        }),
      ]),
    );
    expect(await outcome(c.s3.send(new GetObjectCommand({ Bucket: "pol-b", Key: "open/x" })))).toBe(
      "allowed",
    );
    expect(await outcome(c.s3.send(new GetObjectCommand({ Bucket: "pol-b", Key: "closed/x" })))).toBe(
      "AccessDenied",
    );
    expect(
      await outcome(c.s3.send(new PutObjectCommand({ Bucket: "pol-b", Key: "open/y", Body: "y" }))),
    ).toBe("AccessDenied");
  });

  it("binds, lists and unbinds keys through the control route", async () => {
    const put = await fetch(`${sim.endpoint}/_sim/principals`, {
      method: "PUT",
      body: JSON.stringify({ accessKeyId: "AKIAROUTE", policies: [doc(allow("ec2:DescribeVolumes"))] }),
    });
    expect(put.status).toBe(200);
    const c = clients({ accessKeyId: "AKIAROUTE", secretAccessKey: "x" });
    expect(await outcome(c.ec2.send(new DescribeVolumesCommand({})))).toBe("allowed");
    expect(await outcome(c.s3.send(new GetObjectCommand({ Bucket: "pol-b", Key: "open/x" })))).toBe(
      "AccessDenied",
    );
    const listed = (await (await fetch(`${sim.endpoint}/_sim/principals`)).json()) as {
      principals: { accessKeyId: string }[];
    };
    expect(listed.principals.map((p) => p.accessKeyId)).toContain("AKIAROUTE");
    await fetch(`${sim.endpoint}/_sim/principals?accessKeyId=AKIAROUTE`, { method: "DELETE" });
    // An unbound key is the region's administrator again.
    expect(await outcome(c.s3.send(new GetObjectCommand({ Bucket: "pol-b", Key: "open/x" })))).toBe(
      "allowed",
    );
    const bad = await fetch(`${sim.endpoint}/_sim/principals`, { method: "PUT", body: JSON.stringify({}) });
    expect(bad.status).toBe(400);
  });
});

describe("instance role credentials", () => {
  let instanceId: string;
  let other: string;

  beforeAll(async () => {
    await iam.send(
      new CreateRoleCommand({
        RoleName: "app",
        AssumeRolePolicyDocument: JSON.stringify(
          doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }),
        ),
      }),
    );
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "app" }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "app", RoleName: "app" }));
    const run = (profile?: string) =>
      admin.ec2.send(
        new RunInstancesCommand({
          ImageId: DEBIAN_12_AMI,
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
          ...(profile ? { IamInstanceProfile: { Name: profile } } : {}),
        }),
      );
    instanceId = (await run("app")).Instances![0]!.InstanceId!;
    other = (await run()).Instances![0]!.InstanceId!;
  });

  it("are free until role enforcement is on, then decided by the role's policies as they change", async () => {
    expect(sim.instanceRoleCredentials(other)).toBeUndefined();
    const c = clients(sim.instanceRoleCredentials(instanceId)!);
    expect(await outcome(c.ec2.send(new DescribeVolumesCommand({})))).toBe("allowed");
    sim.enforceInstanceRoles(true);
    try {
      expect(await outcome(c.ec2.send(new DescribeVolumesCommand({})))).toBe("UnauthorizedOperation");
      const managed = await iam.send(
        new CreatePolicyCommand({
          PolicyName: "describe",
          PolicyDocument: JSON.stringify(doc(allow("ec2:Describe*"))),
        }),
      );
      await iam.send(new AttachRolePolicyCommand({ RoleName: "app", PolicyArn: managed.Policy!.Arn! }));
      expect(await outcome(c.ec2.send(new DescribeVolumesCommand({})))).toBe("allowed");
      // ec2:SourceInstanceARN is this instance: attaching to itself only.
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: "app",
          PolicyName: "self",
          PolicyDocument: JSON.stringify(
            doc(
              allow("ec2:AttachVolume", "arn:aws:ec2:*:*:volume/*"),
              allow("ec2:AttachVolume", "arn:aws:ec2:*:*:instance/*", {
                StringLike: { "ec2:SourceInstanceARN": "arn:aws:ec2:*:*:instance/${ec2:InstanceID}" },
              }),
            ),
          ),
        }),
      );
      const v = (
        await admin.ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${sim.region}a`, Size: 1 }))
      ).VolumeId!;
      await waitUntilVolumeAvailable(
        { client: admin.ec2, maxWaitTime: 30, minDelay: 0.1, maxDelay: 1 },
        { VolumeIds: [v] },
      );
      expect(
        await outcome(
          c.ec2.send(new AttachVolumeCommand({ VolumeId: v, InstanceId: other, Device: "/dev/sdf" })),
        ),
      ).toBe("UnauthorizedOperation");
      // Authorized; EC2 itself may still refuse it (zones), but not as unauthorized.
      expect(
        await outcome(
          c.ec2.send(new AttachVolumeCommand({ VolumeId: v, InstanceId: instanceId, Device: "/dev/sdf" })),
        ),
      ).not.toBe("UnauthorizedOperation");
    } finally {
      sim.enforceInstanceRoles(false);
    }
  });
});
