// Finds the release host's own volume: tagged as the release volume of this project and attached
// to this instance. The tags, not a local file, are the record (docs/design.md#state-lives-in-aws).
import { DescribeVolumesCommand, type Volume } from "@aws-sdk/client-ec2";
import { awsSend } from "#shared/aws/call.js";
import type { AwsClients } from "#shared/aws/clients.js";
import { AsgReleaseError } from "#shared/errors.js";
import { PROJECT_TAG, ROLE_RELEASE_VOLUME, ROLE_TAG } from "#shared/release/tags.js";

export async function findReleaseVolumes(
  ec2: AwsClients["ec2"],
  project: string,
  instanceId?: string,
): Promise<Volume[]> {
  const out = await awsSend(
    ec2,
    new DescribeVolumesCommand({
      Filters: [
        { Name: `tag:${ROLE_TAG}`, Values: [ROLE_RELEASE_VOLUME] },
        { Name: `tag:${PROJECT_TAG}`, Values: [project] },
        ...(instanceId ? [{ Name: "attachment.instance-id", Values: [instanceId] }] : []),
      ],
    }),
    { project, instanceId },
  );
  return (out.Volumes ?? []).filter((v) => v.State !== "deleting" && v.State !== "deleted");
}

export async function releaseVolumeId(
  ec2: AwsClients["ec2"],
  project: string,
  instanceId: string,
): Promise<string> {
  const found = await findReleaseVolumes(ec2, project, instanceId);
  const [only, ...more] = found;
  if (!only?.VolumeId || more.length > 0) {
    throw new AsgReleaseError(
      found.length === 0
        ? `no release volume of project ${project} is attached to ${instanceId}; run \`asg-release-server init\``
        : `${found.length} release volumes of project ${project} are attached to ${instanceId}: ${found.map((v) => v.VolumeId).join(", ")}`,
      { code: "ReleaseVolume", exitCode: 2 },
    );
  }
  return only.VolumeId;
}
