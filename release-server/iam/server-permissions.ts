// The release server's role (release-server/publish/, init/, api/s3-pointer.ts): its own release
// volume, snapshots of each release, housekeeping of old ones, the fleet it fans out to, and the
// pointer object in S3 when one is configured, and a rollback's temporary source volume. Writes are confined by tag to what the server (or,
// for the volume sweep, the boot agent) made, for this project when one is given.
import {
  MANAGED_BY_AGENT,
  MANAGED_BY_SERVER,
  MANAGED_BY_TAG,
  PROJECT_TAG,
  ROLE_RELEASE_VOLUME,
  ROLE_ROLLBACK_SOURCE,
  ROLE_TAG,
} from "#shared/release/tags.js";
import { INSTANCES, SNAPSHOTS, VOLUMES, selfInstance } from "./instance-permissions.js";
import type { Grant } from "./policy.js";

export interface ServerFeatures {
  /** The pointer as an S3 object ("bucket/key"), read and written conditionally. */
  pointerObject?: string;
  /** Confines every volume and snapshot write to resources tagged with this project. */
  project?: string;
}

export function serverGrants(f: ServerFeatures): Grant[] {
  const g = (action: string, extra: Omit<Grant, "action"> = {}): Grant => ({ action, ...extra });
  const pointer = f.pointerObject ? [`arn:aws:s3:::${f.pointerObject}`] : undefined;
  const project = (prefix: string) => (f.project ? { [`${prefix}/${PROJECT_TAG}`]: f.project } : {});
  const tagged = (prefix: string, tags: Record<string, string>) => ({
    ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`${prefix}/${k}`, v])),
    ...project(prefix),
  });
  const releaseVolumeTags = { [ROLE_TAG]: ROLE_RELEASE_VOLUME, [MANAGED_BY_TAG]: MANAGED_BY_SERVER };
  const snapshotTags = { [MANAGED_BY_TAG]: MANAGED_BY_SERVER };
  const rollbackSourceTags = { [ROLE_TAG]: ROLE_ROLLBACK_SOURCE, [MANAGED_BY_TAG]: MANAGED_BY_SERVER };
  return [
    // No resource-level permissions: Describe* are allowed on "*" or not at all.
    g("ec2:DescribeVolumes"),
    g("ec2:DescribeSnapshots"),
    g("ec2:DescribeInstances"),
    g("autoscaling:DescribeAutoScalingGroups"),
    // init: the release volume, created with its role, project and managed-by tags and no other way.
    g("ec2:CreateVolume", {
      sid: "Ec2CreateReleaseVolume",
      resources: [VOLUMES],
      condition: { StringEquals: tagged("aws:RequestTag", releaseVolumeTags) },
    }),
    g("ec2:CreateTags", {
      sid: "Ec2TagReleaseVolumeOnCreate",
      resources: [VOLUMES],
      condition: {
        StringEquals: { "ec2:CreateAction": "CreateVolume", ...tagged("aws:RequestTag", releaseVolumeTags) },
      },
      implied: true,
    }),
    // init attaches the release volume, and only it, to the release host itself.
    g("ec2:AttachVolume", {
      sid: "Ec2AttachReleaseVolume",
      resources: [VOLUMES],
      condition: { StringEquals: tagged("aws:ResourceTag", releaseVolumeTags) },
    }),
    g("ec2:AttachVolume", { sid: "Ec2ReleaseHost", resources: [INSTANCES], condition: selfInstance }),
    // publish: snapshots of the release volume only, tagged as this project's releases when made.
    g("ec2:CreateSnapshot", {
      sid: "Ec2SnapshotReleaseVolume",
      resources: [VOLUMES],
      condition: { StringEquals: tagged("aws:ResourceTag", releaseVolumeTags) },
    }),
    g("ec2:CreateSnapshot", {
      sid: "Ec2CreateReleaseSnapshot",
      resources: [SNAPSHOTS],
      condition: { StringEquals: tagged("aws:RequestTag", snapshotTags) },
    }),
    g("ec2:CreateTags", {
      sid: "Ec2TagReleaseSnapshotOnCreate",
      resources: [SNAPSHOTS],
      condition: {
        StringEquals: { "ec2:CreateAction": "CreateSnapshot", ...tagged("aws:RequestTag", snapshotTags) },
      },
      implied: true,
    }),
    // Retention deletes the server's own release snapshots of this project, never another's.
    g("ec2:DeleteSnapshot", {
      sid: "Ec2DeleteReleaseSnapshots",
      resources: [SNAPSHOTS],
      condition: { StringEquals: tagged("aws:ResourceTag", snapshotTags) },
    }),
    // The sweep deletes volumes the boot agent left behind for this project.
    g("ec2:DeleteVolume", {
      sid: "Ec2DeleteAgentVolumes",
      resources: [VOLUMES],
      condition: { StringEquals: tagged("aws:ResourceTag", { [MANAGED_BY_TAG]: MANAGED_BY_AGENT }) },
    }),
    // publish --rollback-to: a temporary volume from one of the project's release snapshots, tagged
    // as its rollback source when made, attached to and detached from the release host only, then
    // deleted (by the sweep too, if a crash left it).
    g("ec2:CreateVolume", {
      sid: "Ec2CreateRollbackSource",
      resources: [VOLUMES],
      condition: { StringEquals: tagged("aws:RequestTag", rollbackSourceTags) },
    }),
    g("ec2:CreateTags", {
      sid: "Ec2TagRollbackSourceOnCreate",
      resources: [VOLUMES],
      condition: {
        StringEquals: { "ec2:CreateAction": "CreateVolume", ...tagged("aws:RequestTag", rollbackSourceTags) },
      },
      implied: true,
    }),
    g("ec2:CreateVolume", {
      sid: "Ec2RollbackFromRelease",
      resources: [SNAPSHOTS],
      condition: { StringEquals: tagged("aws:ResourceTag", snapshotTags) },
    }),
    ...["ec2:AttachVolume", "ec2:DetachVolume", "ec2:DeleteVolume"].map((action) =>
      g(action, {
        sid: "Ec2RollbackSource",
        resources: [VOLUMES],
        condition: { StringEquals: tagged("aws:ResourceTag", rollbackSourceTags) },
      }),
    ),
    g("ec2:DetachVolume", { sid: "Ec2ReleaseHost", resources: [INSTANCES], condition: selfInstance }),
    ...(pointer
      ? [
          g("s3:GetObject", { resources: pointer, sid: "S3Pointer" }),
          g("s3:PutObject", { resources: pointer, sid: "S3Pointer" }),
        ]
      : []),
  ];
}
