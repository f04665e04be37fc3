// The instance role: what the boot agent calls (agent/steps/): find the release snapshot, make,
// tag and attach its volume, clean up stale ones, tag the instance, complete the launch hook.
// Each write is confined to the calling instance: its own instance ARN (ec2:SourceInstanceARN,
// which EC2 sets for role credentials delivered to an instance) and the volumes tagged with it.
import { INSTANCE_ARN_TAG, PROJECT_TAG, RELEASE_ID_TAG } from "#shared/release/tags.js";
import type { Grant } from "./policy.js";

export interface InstanceFeatures {
  /** The deploy path adds a launch hook that the agent completes. */
  lifecycleHook: boolean;
  /** The release pointer as an S3 object ("bucket/key"), when the agent reads it from S3. */
  pointerObject?: string;
  /** Volumes are made only from this project's release snapshots, and carry its tag. */
  project?: string;
}

export const VOLUMES = "arn:aws:ec2:*:*:volume/*";
export const INSTANCES = "arn:aws:ec2:*:*:instance/*";
// Snapshot ARNs have no account field.
export const SNAPSHOTS = "arn:aws:ec2:*::snapshot/*";
/** The calling instance's ARN, a policy variable EC2 fills for an instance's role credentials. */
export const SOURCE_INSTANCE = "${ec2:SourceInstanceARN}";

/** The request names the caller's own instance: its ARN ends with that instance's id. */
export const selfInstance = {
  StringLike: { "ec2:SourceInstanceARN": "arn:aws:ec2:*:*:instance/${ec2:InstanceID}" },
};

export function instanceGrants(f: InstanceFeatures): Grant[] {
  const g = (action: string, extra: Omit<Grant, "action"> = {}): Grant => ({ action, ...extra });
  // The new volume's tags: owned by the calling instance (and of the project, when known).
  const forSelf = {
    [`aws:RequestTag/${INSTANCE_ARN_TAG}`]: SOURCE_INSTANCE,
    ...(f.project ? { [`aws:RequestTag/${PROJECT_TAG}`]: f.project } : {}),
  };
  const ownVolume = (action: string) =>
    g(action, {
      sid: "Ec2OwnVolumes",
      resources: [VOLUMES],
      condition: { StringEquals: { [`aws:ResourceTag/${INSTANCE_ARN_TAG}`]: SOURCE_INSTANCE } },
    });
  const ownInstance = (action: string) =>
    g(action, { sid: "Ec2OwnInstance", resources: [INSTANCES], condition: selfInstance });
  return [
    // No resource-level permissions: Describe* are allowed on "*" or not at all.
    g("ec2:DescribeSnapshots"),
    g("ec2:DescribeVolumes"),
    g("ec2:DescribeInstances"),
    // A volume only tagged as this instance's; the implied CreateTags of those tags likewise.
    g("ec2:CreateVolume", {
      sid: "Ec2CreateOwnVolume",
      resources: [VOLUMES],
      condition: { StringEquals: forSelf },
    }),
    g("ec2:CreateTags", {
      sid: "Ec2TagOwnVolumeOnCreate",
      resources: [VOLUMES],
      condition: { StringEquals: { "ec2:CreateAction": "CreateVolume", ...forSelf } },
      implied: true,
    }),
    // ...and only from a release snapshot (the project's when known).
    g("ec2:CreateVolume", {
      sid: "Ec2VolumeFromRelease",
      resources: [SNAPSHOTS],
      condition: f.project
        ? { StringEquals: { [`aws:ResourceTag/${PROJECT_TAG}`]: f.project } }
        : { Null: { [`aws:ResourceTag/${RELEASE_ID_TAG}`]: "false" } },
    }),
    // Attach, detach (stale ones) and delete only volumes tagged with the caller's ARN...
    ownVolume("ec2:AttachVolume"),
    ownVolume("ec2:DetachVolume"),
    ownVolume("ec2:DeleteVolume"),
    // ...on the caller's own instance; DeleteOnTermination is set on itself only.
    ownInstance("ec2:AttachVolume"),
    ownInstance("ec2:DetachVolume"),
    ownInstance("ec2:ModifyInstanceAttribute"),
    // The agent tags its own instance with its release id (report.ts), and no other key.
    g("ec2:CreateTags", {
      sid: "Ec2ReleaseTag",
      resources: [INSTANCES],
      condition: { ...selfInstance, "ForAllValues:StringEquals": { "aws:TagKeys": [RELEASE_ID_TAG] } },
    }),
    // The agent looks for a launch hook on every boot; it completes one only when the group has it.
    g("autoscaling:DescribeAutoScalingInstances"),
    g("autoscaling:DescribeLifecycleHooks"),
    ...(f.lifecycleHook ? [g("autoscaling:CompleteLifecycleAction")] : []),
    ...(f.pointerObject
      ? [g("s3:GetObject", { resources: [`arn:aws:s3:::${f.pointerObject}`], sid: "S3Pointer" })]
      : []),
  ];
}
