// The release server's role (release-server/publish/, init/, api/s3-pointer.ts): its own release
// volume, snapshots of each release, housekeeping of old ones, the fleet it fans out to, and the
// pointer object in S3 when one is configured.
import { tagOnCreate } from "./deploy-permissions.js";
import type { Grant } from "./policy.js";

export interface ServerFeatures {
  /** The pointer as an S3 object ("bucket/key"), read and written conditionally. */
  pointerObject?: string;
}

export function serverGrants(f: ServerFeatures): Grant[] {
  const g = (action: string, extra: Omit<Grant, "action"> = {}): Grant => ({ action, ...extra });
  const pointer = f.pointerObject ? [`arn:aws:s3:::${f.pointerObject}`] : undefined;
  return [
    g("ec2:DescribeVolumes"),
    g("ec2:CreateVolume"),
    tagOnCreate("CreateVolume", "volume"),
    g("ec2:AttachVolume"),
    g("ec2:DeleteVolume"),
    g("ec2:DescribeSnapshots"),
    g("ec2:CreateSnapshot"),
    tagOnCreate("CreateSnapshot", "snapshot"),
    g("ec2:DeleteSnapshot"),
    g("ec2:DescribeInstances"),
    g("autoscaling:DescribeAutoScalingGroups"),
    ...(pointer
      ? [
          g("s3:GetObject", { resources: pointer, sid: "S3Pointer" }),
          g("s3:PutObject", { resources: pointer, sid: "S3Pointer" }),
        ]
      : []),
  ];
}
