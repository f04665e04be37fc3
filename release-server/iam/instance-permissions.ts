// The instance role: what the boot agent calls (agent/steps/): find the release snapshot, make,
// tag and attach its volume, clean up stale ones, tag the instance, complete the launch hook.
import { RELEASE_ID_TAG } from "#shared/release/tags.js";
import { tagOnCreate } from "./deploy-permissions.js";
import type { Grant } from "./policy.js";

export interface InstanceFeatures {
  /** The deploy path adds a launch hook that the agent completes. */
  lifecycleHook: boolean;
  /** The release pointer as an S3 object ("bucket/key"), when the agent reads it from S3. */
  pointerObject?: string;
}

export function instanceGrants(f: InstanceFeatures): Grant[] {
  const g = (action: string, extra: Omit<Grant, "action"> = {}): Grant => ({ action, ...extra });
  return [
    g("ec2:DescribeSnapshots"),
    g("ec2:DescribeVolumes"),
    g("ec2:DescribeInstances"),
    g("ec2:CreateVolume"),
    tagOnCreate("CreateVolume", "volume"),
    // The agent tags its own instance with its release id (report.ts); EC2 has no condition naming
    // "the caller's instance", so the tag key is what is confined.
    g("ec2:CreateTags", {
      sid: "Ec2ReleaseTag",
      resources: ["arn:aws:ec2:*:*:instance/*"],
      condition: { "ForAllValues:StringEquals": { "aws:TagKeys": [RELEASE_ID_TAG] } },
    }),
    g("ec2:AttachVolume"),
    g("ec2:DetachVolume"),
    g("ec2:DeleteVolume"),
    g("ec2:ModifyInstanceAttribute"),
    // The agent looks for a launch hook on every boot; it completes one only when the group has it.
    g("autoscaling:DescribeAutoScalingInstances"),
    g("autoscaling:DescribeLifecycleHooks"),
    ...(f.lifecycleHook ? [g("autoscaling:CompleteLifecycleAction")] : []),
    ...(f.pointerObject
      ? [g("s3:GetObject", { resources: [`arn:aws:s3:::${f.pointerObject}`], sid: "S3Pointer" })]
      : []),
  ];
}
