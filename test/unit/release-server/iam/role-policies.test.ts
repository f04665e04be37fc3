// The instance role (what the boot agent calls) and the release server's role, and the shape of
// every document: version, one statement per service and scope, sorted actions.
import { describe, expect, it } from "vitest";
import { rolePolicy } from "../../../../release-server/iam/generate.js";
import { buildPolicy, policyActions } from "../../../../release-server/iam/policy.js";
import { env } from "../../../support/deploy-fixtures.js";

const full = env(`vpc: vpc-1\nimage_check_type: none\nlaunch_config: {ami: ami-0123456789abcdef0}`);

describe("instance role", () => {
  it("is what the agent calls: snapshot lookup, its volume, the instance tag and the launch hook", () => {
    expect(policyActions(rolePolicy("instance", { environment: full }))).toEqual([
      "autoscaling:CompleteLifecycleAction",
      "autoscaling:DescribeAutoScalingInstances",
      "autoscaling:DescribeLifecycleHooks",
      "ec2:AttachVolume",
      "ec2:CreateTags",
      "ec2:CreateVolume",
      "ec2:DeleteVolume",
      "ec2:DescribeInstances",
      "ec2:DescribeSnapshots",
      "ec2:DescribeVolumes",
      "ec2:DetachVolume",
      "ec2:ModifyInstanceAttribute",
    ]);
  });

  it("without a launch hook, nothing to complete", () => {
    const environment = env(
      `vpc: vpc-1\nlaunch_config: {ami: ami-0123456789abcdef0}\nlifecycle_hook: {enabled: false}`,
    );
    expect(policyActions(rolePolicy("instance", { environment }))).not.toContain(
      "autoscaling:CompleteLifecycleAction",
    );
  });

  it("an S3 pointer: s3:GetObject on that object only", () => {
    const doc = rolePolicy("instance", { environment: full, pointerObject: "shop-releases/current" });
    expect(doc.Statement.find((s) => s.Sid === "S3Pointer")).toEqual({
      Sid: "S3Pointer",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: "arn:aws:s3:::shop-releases/current",
    });
  });
});

describe("release-server role", () => {
  it("makes and retires release snapshots, lists the fleet, and reads and writes the pointer object", () => {
    const doc = rolePolicy("release-server", { environment: full, pointerObject: "shop-releases/current" });
    expect(policyActions(doc)).toEqual([
      "autoscaling:DescribeAutoScalingGroups",
      "ec2:AttachVolume",
      "ec2:CreateSnapshot",
      "ec2:CreateTags",
      "ec2:CreateVolume",
      "ec2:DeleteSnapshot",
      "ec2:DeleteVolume",
      "ec2:DescribeInstances",
      "ec2:DescribeSnapshots",
      "ec2:DescribeVolumes",
      "ec2:DetachVolume",
      "s3:GetObject",
      "s3:PutObject",
    ]);
  });

  it("makes, attaches, detaches and deletes only the project's rollback source volumes, from its release snapshots", () => {
    const doc = rolePolicy("release-server", { environment: full, project: "shop" });
    const sid = (id: string) => doc.Statement.find((s) => s.Sid === id);
    const sourceTags = (prefix: string) => ({
      [`${prefix}/asg-release:role`]: "rollback-source",
      [`${prefix}/asg-release:managed-by`]: "asg-release-server",
      [`${prefix}/asg-release:project`]: "shop",
    });
    expect(sid("Ec2CreateRollbackSource")).toMatchObject({
      Action: ["ec2:CreateVolume"],
      Resource: "arn:aws:ec2:*:*:volume/*",
      Condition: { StringEquals: sourceTags("aws:RequestTag") },
    });
    expect(sid("Ec2RollbackFromRelease")).toMatchObject({
      Action: ["ec2:CreateVolume"],
      Resource: "arn:aws:ec2:*::snapshot/*",
      Condition: {
        StringEquals: {
          "aws:ResourceTag/asg-release:managed-by": "asg-release-server",
          "aws:ResourceTag/asg-release:project": "shop",
        },
      },
    });
    expect(sid("Ec2RollbackSource")).toEqual({
      Sid: "Ec2RollbackSource",
      Effect: "Allow",
      Action: ["ec2:AttachVolume", "ec2:DeleteVolume", "ec2:DetachVolume"],
      Resource: "arn:aws:ec2:*:*:volume/*",
      Condition: { StringEquals: sourceTags("aws:ResourceTag") },
    });
  });

  it("deletes and snapshots only what carries its tags, and this project's when given", () => {
    const doc = rolePolicy("release-server", { environment: full, project: "shop" });
    const sid = (id: string) => doc.Statement.find((s) => s.Sid === id);
    expect(sid("Ec2DeleteReleaseSnapshots")).toEqual({
      Sid: "Ec2DeleteReleaseSnapshots",
      Effect: "Allow",
      Action: ["ec2:DeleteSnapshot"],
      Resource: "arn:aws:ec2:*::snapshot/*",
      Condition: {
        StringEquals: {
          "aws:ResourceTag/asg-release:managed-by": "asg-release-server",
          "aws:ResourceTag/asg-release:project": "shop",
        },
      },
    });
    expect(sid("Ec2DeleteAgentVolumes")?.Condition).toEqual({
      StringEquals: {
        "aws:ResourceTag/asg-release:managed-by": "asg-release-agent",
        "aws:ResourceTag/asg-release:project": "shop",
      },
    });
    expect(sid("Ec2TagReleaseSnapshotOnCreate")?.Condition?.StringEquals).toMatchObject({
      "ec2:CreateAction": "CreateSnapshot",
      "aws:RequestTag/asg-release:project": "shop",
    });
    expect(sid("Ec2ReleaseHost")).toMatchObject({
      Action: ["ec2:AttachVolume", "ec2:DetachVolume"],
      Resource: "arn:aws:ec2:*:*:instance/*",
      Condition: { StringLike: { "ec2:SourceInstanceARN": "arn:aws:ec2:*:*:instance/${ec2:InstanceID}" } },
    });
  });

  it("without a project, confines by the managed-by tag alone", () => {
    const doc = rolePolicy("release-server", { environment: full });
    expect(doc.Statement.find((s) => s.Sid === "Ec2DeleteReleaseSnapshots")?.Condition).toEqual({
      StringEquals: { "aws:ResourceTag/asg-release:managed-by": "asg-release-server" },
    });
  });
});

describe("scoping", () => {
  // Actions without resource-level permissions, which IAM allows only on "*".
  const unscoped = /^(ec2:Describe|autoscaling:Describe|autoscaling:CompleteLifecycleAction$)/;

  it.each(["instance", "release-server"] as const)(
    "the %s role grants no write on every resource",
    (role) => {
      const doc = rolePolicy(role, { environment: full, project: "shop", pointerObject: "b/k" });
      for (const s of doc.Statement.filter((x) => x.Resource === "*"))
        for (const a of s.Action) expect(a, `${s.Sid}: ${a}`).toMatch(unscoped);
    },
  );

  it("the instance role writes only volumes tagged with the caller's ARN, on the caller itself", () => {
    const doc = rolePolicy("instance", { environment: full, project: "shop" });
    const sid = (id: string) => doc.Statement.find((s) => s.Sid === id);
    expect(sid("Ec2OwnVolumes")).toEqual({
      Sid: "Ec2OwnVolumes",
      Effect: "Allow",
      Action: ["ec2:AttachVolume", "ec2:DeleteVolume", "ec2:DetachVolume"],
      Resource: "arn:aws:ec2:*:*:volume/*",
      Condition: { StringEquals: { "aws:ResourceTag/asg-release:instance-arn": "${ec2:SourceInstanceARN}" } },
    });
    expect(sid("Ec2OwnInstance")).toMatchObject({
      Action: ["ec2:AttachVolume", "ec2:DetachVolume", "ec2:ModifyInstanceAttribute"],
      Resource: "arn:aws:ec2:*:*:instance/*",
    });
    expect(sid("Ec2CreateOwnVolume")?.Condition).toEqual({
      StringEquals: {
        "aws:RequestTag/asg-release:instance-arn": "${ec2:SourceInstanceARN}",
        "aws:RequestTag/asg-release:project": "shop",
      },
    });
    expect(sid("Ec2VolumeFromRelease")).toMatchObject({
      Resource: "arn:aws:ec2:*::snapshot/*",
      Condition: { StringEquals: { "aws:ResourceTag/asg-release:project": "shop" } },
    });
  });
});

describe("documents", () => {
  it("group grants by service and scope, with sorted actions and Resource * when unscoped", () => {
    expect(
      buildPolicy([
        { action: "ec2:DescribeVolumes" },
        { action: "autoscaling:DescribeAutoScalingGroups" },
        { action: "ec2:AttachVolume" },
        { action: "s3:GetObject", resources: ["arn:aws:s3:::b/k"] },
        { action: "ec2:AttachVolume" },
      ]),
    ).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AutoScaling",
          Effect: "Allow",
          Action: ["autoscaling:DescribeAutoScalingGroups"],
          Resource: "*",
        },
        { Sid: "Ec2", Effect: "Allow", Action: ["ec2:AttachVolume", "ec2:DescribeVolumes"], Resource: "*" },
        { Sid: "S3", Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/k" },
      ],
    });
  });
});
