// What the local region authorizes an EC2 or Auto Scaling call on: resource ARNs with their tags,
// request tags, and the implied CreateTags of tags given at creation.
import { describe, expect, it } from "vitest";
import { ParamReader, parseParams } from "../../../sim/api/params.js";
import { autoscalingRequests } from "../../../sim/auth/autoscaling-requests.js";
import { ec2Requests } from "../../../sim/auth/ec2-requests.js";
import { RegionState } from "../../../sim/state/store.js";
import type { AutoScalingGroup, Volume } from "../../../sim/state/types.js";

const region = new RegionState("us-east-1", ["us-east-1a"]);
region.volumes.set("vol-1", {
  volumeId: "vol-1",
  tags: { owner: "me" },
  attachments: [{ instanceId: "i-9" }],
} as unknown as Volume);
region.autoScalingGroups.set("web", {
  autoScalingGroupARN: "arn:aws:autoscaling:us-east-1:1:autoScalingGroup:u:autoScalingGroupName/web",
  tags: [{ key: "p", value: "shop", propagateAtLaunch: false }],
} as unknown as AutoScalingGroup);
const params = (q: string) => new ParamReader(parseParams(new URLSearchParams(q)));
const ec2 = (action: string, q: string) => ec2Requests({ action, params: params(q), region, accountId: "1" });

describe("EC2", () => {
  it("CreateVolume: the new volume with request tags, its snapshot, and CreateTags with ec2:CreateAction", () => {
    const out = ec2(
      "CreateVolume",
      "SnapshotId=snap-1&TagSpecification.1.ResourceType=volume&TagSpecification.1.Tag.1.Key=owner&TagSpecification.1.Tag.1.Value=me",
    );
    expect(out.map((r) => [r.action, r.resource])).toEqual([
      ["ec2:CreateVolume", "arn:aws:ec2:us-east-1:1:volume/*"],
      ["ec2:CreateTags", "arn:aws:ec2:us-east-1:1:volume/*"],
      ["ec2:CreateVolume", "arn:aws:ec2:us-east-1::snapshot/snap-1"],
    ]);
    expect(out[1]!.keys).toEqual({
      "aws:RequestTag/owner": "me",
      "aws:TagKeys": ["owner"],
      "ec2:CreateAction": "CreateVolume",
    });
  });

  it("DetachVolume without InstanceId checks the instance that holds the volume, and the volume's tags", () => {
    const out = ec2("DetachVolume", "VolumeId=vol-1");
    expect(out.map((r) => r.resource)).toEqual([
      "arn:aws:ec2:us-east-1:1:instance/i-9",
      "arn:aws:ec2:us-east-1:1:volume/vol-1",
    ]);
    expect(out[0]!.keys).toMatchObject({ "ec2:InstanceID": "i-9" });
    expect(out[1]!.keys).toEqual({ "aws:ResourceTag/owner": "me", "ec2:ResourceTag/owner": "me" });
  });

  it("a call without resource-level permissions is checked on *", () => {
    expect(ec2("DescribeVolumes", "")).toEqual([{ action: "ec2:DescribeVolumes", resource: "*", keys: {} }]);
  });
});

describe("Auto Scaling", () => {
  it("checks a named group with its tags, and a tag call on each group it names", () => {
    const [update] = autoscalingRequests({
      action: "UpdateAutoScalingGroup",
      params: params("AutoScalingGroupName=web"),
      region,
      accountId: "1",
    });
    expect(update).toEqual({
      action: "autoscaling:UpdateAutoScalingGroup",
      resource: "arn:aws:autoscaling:us-east-1:1:autoScalingGroup:u:autoScalingGroupName/web",
      keys: { "autoscaling:ResourceTag/p": "shop", "aws:ResourceTag/p": "shop" },
    });
    const [create] = autoscalingRequests({
      action: "CreateAutoScalingGroup",
      params: params("AutoScalingGroupName=new&Tags.member.1.Key=p&Tags.member.1.Value=shop"),
      region,
      accountId: "1",
    });
    expect(create).toMatchObject({
      resource: "arn:aws:autoscaling:us-east-1:1:autoScalingGroup:*:autoScalingGroupName/new",
      keys: { "aws:RequestTag/p": "shop", "aws:TagKeys": ["p"] },
    });
  });
});
