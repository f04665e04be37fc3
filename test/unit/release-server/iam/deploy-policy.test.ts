// The deploy host's policy follows the configured features: launch templates or configurations,
// the load balancer kinds bound, delegated destroy, S3 user_data, instance profiles, ECR images,
// limited-permissions mode; group changes are confined to the project's groups.
import { describe, expect, expectTypeOf, it } from "vitest";
import type { ActionKind } from "../../../../release-server/deploy/actions.js";
import { deployFeatures } from "../../../../release-server/iam/deploy-features.js";
import { actionPermissions, deployGrants } from "../../../../release-server/iam/deploy-permissions.js";
import { rolePolicy } from "../../../../release-server/iam/generate.js";
import { buildPolicy, policyActions, type PolicyDocument } from "../../../../release-server/iam/policy.js";
import { env, model } from "../../../support/deploy-fixtures.js";

const launch = `launch_config: {ami: ami-0123456789abcdef0, type: t3.micro, user_data: "x"}`;
const policy = (text: string, over: { project?: string; images?: Record<string, string> } = {}) =>
  rolePolicy("deploy", {
    environment: env(text),
    ...(over.images ? { model: model(over.images) } : {}),
    ...(over.project ? { project: over.project } : {}),
  });
const actions = (text: string, over = {}) => policyActions(policy(text, over));
const statement = (doc: PolicyDocument, sid: string) => doc.Statement.find((s) => s.Sid === sid);

const lock = ["ec2:CreateLaunchTemplate", "ec2:DeleteLaunchTemplate", "ec2:DescribeLaunchTemplates"];

describe("deploy role", () => {
  it("launch templates with a classic ELB and a target group: template, group and both attach kinds", () => {
    const a = actions(
      `vpc: vpc-1\nimage_check_type: none\n${launch}\nlb: {web: {target_group: tg-web, port: 8080}, api: api-elb}`,
    );
    expect(a).toEqual(
      [
        "autoscaling:AttachLoadBalancerTargetGroups",
        "autoscaling:AttachLoadBalancers",
        "autoscaling:CreateAutoScalingGroup",
        "autoscaling:CreateOrUpdateTags",
        "autoscaling:DeleteAutoScalingGroup",
        "autoscaling:DeleteLifecycleHook",
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeLaunchConfigurations",
        "autoscaling:DetachLoadBalancerTargetGroups",
        "autoscaling:DetachLoadBalancers",
        "autoscaling:PutLifecycleHook",
        "autoscaling:UpdateAutoScalingGroup",
        "ec2:CreateTags",
        "ec2:DeleteVolume",
        "ec2:DescribeInstances",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSubnets",
        "ec2:DescribeVolumes",
        "ec2:DescribeVpcs",
        "ec2:RunInstances",
        "elasticloadbalancing:DescribeInstanceHealth",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeTargetGroupAttributes",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetHealth",
        ...lock,
      ].sort(),
    );
  });

  it("launch configurations: create/delete them, no RunInstances; the lock still uses a launch template", () => {
    const a = actions(
      `vpc: vpc-1\nimage_check_type: none\nlaunch_config: {kind: configuration, ami: ami-0123456789abcdef0}`,
    );
    expect(a).toEqual(
      expect.arrayContaining([
        "autoscaling:CreateLaunchConfiguration",
        "autoscaling:DeleteLaunchConfiguration",
        ...lock,
      ]),
    );
    expect(a).not.toContain("ec2:RunInstances");
    expect(a).not.toContain("ec2:DescribeLaunchTemplateVersions");
  });

  it("deletes only the boot agent's volumes: the ones its tag marks", () => {
    const doc = policy(`vpc: vpc-1\nimage_check_type: none\n${launch}`);
    expect(statement(doc, "Ec2DeleteAgentVolumes")).toMatchObject({
      Action: ["ec2:DeleteVolume"],
      Resource: "arn:aws:ec2:*:*:volume/*",
      Condition: { StringEquals: { "ec2:ResourceTag/asg-release:managed-by": "asg-release-agent" } },
    });
    expect(doc.Statement.filter((st) => [st.Action].flat().includes("ec2:DeleteVolume"))).toHaveLength(1);
  });

  it("launch_config.key: DescribeKeyPairs, so the plan can refuse a key that is not registered", () => {
    const keyed = `launch_config: {ami: ami-0123456789abcdef0, type: t3.micro, key: ops}`;
    expect(actions(`vpc: vpc-1\nimage_check_type: none\n${keyed}`)).toContain("ec2:DescribeKeyPairs");
    expect(actions(`vpc: vpc-1\nimage_check_type: none\n${launch}`)).not.toContain("ec2:DescribeKeyPairs");
  });

  it("a classic ELB only: no target group reads or attachments", () => {
    const a = actions(`vpc: vpc-1\nimage_check_type: none\n${launch}\nlb: {api: api-elb}`);
    expect(a.filter((x) => /TargetGroup|TargetHealth/.test(x))).toEqual([]);
    expect(a).toContain("autoscaling:AttachLoadBalancers");
  });

  it("a target group only: no classic reads or attachments", () => {
    const a = actions(
      `vpc: vpc-1\nimage_check_type: none\n${launch}\nlb: {web: {target_group: tg-web, port: 80}}`,
    );
    expect(a).not.toContain("autoscaling:AttachLoadBalancers");
    expect(a).not.toContain("elasticloadbalancing:DescribeInstanceHealth");
    expect(a).toContain("elasticloadbalancing:DescribeTargetHealth");
  });

  it("no load balancer (or only null bindings): nothing of elasticloadbalancing", () => {
    const a = actions(`vpc: vpc-1\nimage_check_type: none\n${launch}\nlb: {web: null}`);
    expect(a.filter((x) => /LoadBalancer|elasticloadbalancing/.test(x))).toEqual([]);
  });

  it("home_vpc without vpc: no DescribeVpcs (the VPC comes from IMDS)", () => {
    expect(actions(`home_vpc: true\nimage_check_type: none\n${launch}`)).not.toContain("ec2:DescribeVpcs");
  });

  it("delegated destroy: DetachInstances, and the hand-off tag only on instances", () => {
    const doc = policy(
      `vpc: vpc-1\nimage_check_type: none\n${launch}\ndelegated_destroy: {uri: "http://127.0.0.1:1/h", components: [front]}`,
    );
    expect(policyActions(doc)).toContain("autoscaling:DetachInstances");
    expect(statement(doc, "Ec2HandoffTag")).toEqual({
      Sid: "Ec2HandoffTag",
      Effect: "Allow",
      Action: ["ec2:CreateTags", "ec2:DeleteTags"],
      Resource: "arn:aws:ec2:*:*:instance/*",
      Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["skopos:handoff"] } },
    });
  });

  it("user_data in S3: s3:GetObject on that object only", () => {
    const doc = policy(
      `vpc: vpc-1\nimage_check_type: none\nlaunch_config: {ami: ami-0123456789abcdef0, user_data: {s3: "cfg/app/user-data"}}`,
    );
    expect(statement(doc, "S3UserData")).toEqual({
      Sid: "S3UserData",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: "arn:aws:s3:::cfg/app/user-data",
    });
  });

  it("an instance profile: iam:PassRole to EC2 only; none without a profile", () => {
    const doc = policy(
      `vpc: vpc-1\nimage_check_type: none\nlaunch_config: {ami: ami-0123456789abcdef0, profile: app}`,
    );
    expect(statement(doc, "IamPassRoleToEc2")?.Condition).toEqual({
      StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" },
    });
    expect(actions(`vpc: vpc-1\nimage_check_type: none\n${launch}`)).not.toContain("iam:PassRole");
  });

  it("rollout.keep_old_slot: the kept slot's time tag on the project's groups", () => {
    const text = `vpc: vpc-1\nimage_check_type: none\n${launch}`;
    expect(actions(text)).not.toContain("autoscaling:DeleteTags");
    const doc = policy(`${text}\nrollout: {keep_old_slot: 600}`, { project: "shop" });
    expect(statement(doc, "AutoScalingProjectGroups")?.Action).toEqual(
      expect.arrayContaining(["autoscaling:CreateOrUpdateTags", "autoscaling:DeleteTags"]),
    );
  });

  it("tags given at creation: CreateTags confined by ec2:CreateAction", () => {
    const doc = policy(`vpc: vpc-1\nimage_check_type: none\n${launch}`);
    expect(statement(doc, "Ec2TagOnCreateLaunchTemplate")).toEqual({
      Sid: "Ec2TagOnCreateLaunchTemplate",
      Effect: "Allow",
      Action: ["ec2:CreateTags"],
      Resource: "arn:aws:ec2:*:*:launch-template/*",
      Condition: { StringEquals: { "ec2:CreateAction": "CreateLaunchTemplate" } },
    });
    expect(statement(doc, "Ec2TagOnRunInstances")?.Resource).toEqual([
      "arn:aws:ec2:*:*:instance/*",
      "arn:aws:ec2:*:*:volume/*",
    ]);
  });

  it("--project confines group changes to groups tagged for the project", () => {
    const doc = policy(`vpc: vpc-1\nimage_check_type: none\n${launch}\nlb: {api: api-elb}`, {
      project: "shop",
    });
    expect(statement(doc, "AutoScalingNewProjectGroups")).toEqual({
      Sid: "AutoScalingNewProjectGroups",
      Effect: "Allow",
      Action: ["autoscaling:CreateAutoScalingGroup"],
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestTag/skopos:project": "shop" } },
    });
    expect(statement(doc, "AutoScalingProjectGroups")?.Action).toEqual([
      "autoscaling:AttachLoadBalancers",
      "autoscaling:CreateOrUpdateTags",
      "autoscaling:DeleteAutoScalingGroup",
      "autoscaling:DeleteLifecycleHook",
      "autoscaling:DetachLoadBalancers",
      "autoscaling:PutLifecycleHook",
      "autoscaling:UpdateAutoScalingGroup",
    ]);
  });

  it("the launch hook of existing groups: PutLifecycleHook only when it is on; deleting our own and its record tag either way", () => {
    const on = policy(
      `vpc: vpc-1
image_check_type: none
${launch}`,
      { project: "shop" },
    );
    expect(statement(on, "AutoScalingProjectGroups")?.Action).toEqual(
      expect.arrayContaining([
        "autoscaling:CreateOrUpdateTags",
        "autoscaling:DeleteLifecycleHook",
        "autoscaling:PutLifecycleHook",
      ]),
    );
    const off = actions(`vpc: vpc-1
image_check_type: none
${launch}
lifecycle_hook: {enabled: false}`);
    expect(off).not.toContain("autoscaling:PutLifecycleHook");
    expect(off).toEqual(
      expect.arrayContaining(["autoscaling:CreateOrUpdateTags", "autoscaling:DeleteLifecycleHook"]),
    );
  });

  it("image_check_type docker: ecr:GetAuthorizationToken only for ECR images (or without a model)", () => {
    const text = `vpc: vpc-1\n${launch}`;
    expect(actions(text)).toContain("ecr:GetAuthorizationToken");
    expect(
      actions(text, { images: { front: "123456789012.dkr.ecr.us-east-1.amazonaws.com/front:1" } }),
    ).toContain("ecr:GetAuthorizationToken");
    expect(actions(text, { images: { front: "docker.io/library/nginx:1" } })).not.toContain(
      "ecr:GetAuthorizationToken",
    );
  });

  it("limited-permissions mode: capacities, attachments, reads and the lock, nothing else", () => {
    expect(
      actions(`lb: {web: {target_group: tg-web, port: 8080}, api: api-elb}`, {
        project: "shop",
        images: { front: "docker.io/library/nginx:1" },
      }),
    ).toEqual(
      [
        "autoscaling:AttachLoadBalancerTargetGroups",
        "autoscaling:AttachLoadBalancers",
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DetachLoadBalancerTargetGroups",
        "autoscaling:DetachLoadBalancers",
        "autoscaling:UpdateAutoScalingGroup",
        "ec2:CreateTags",
        "ec2:DescribeInstances",
        "elasticloadbalancing:DescribeInstanceHealth",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeTargetGroupAttributes",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetHealth",
        ...lock,
      ].sort(),
    );
  });
});

describe("the table of action kinds", () => {
  it("has an entry for every kind of the Action union, and no other", () => {
    expectTypeOf<keyof typeof actionPermissions>().toEqualTypeOf<ActionKind>();
  });

  it("grants every kind that calls AWS something when all features are on", () => {
    const f = deployFeatures({
      config: env(
        `vpc: vpc-1\nlaunch_config: {ami: ami-0123456789abcdef0, profile: p}\ncomponents: {old: {launch_config: {kind: configuration}}}\nlb: {web: {target_group: tg, port: 80}, api: elb}\ndelegated_destroy: {uri: "http://127.0.0.1:1/h", components: [old]}\nrollout: {keep_old_slot: 60}`,
      ).ec2Asg,
      limitedPermissions: false,
    });
    const empty = (Object.keys(actionPermissions) as ActionKind[]).filter(
      (k) => !actionPermissions[k].when(f) || actionPermissions[k].grants(f).length === 0,
    );
    // postHandoff is an HTTP POST to the hand-off handler.
    expect(empty).toEqual(["postHandoff"]);
    expect(buildPolicy(deployGrants(f)).Statement.length).toBeGreaterThan(0);
  });
});
