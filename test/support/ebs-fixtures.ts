// Tagged volumes, release snapshots and instances made with real SDK calls against the local
// region, and what is left of them: the fixtures of the housekeeping and teardown tests.
import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  RunInstancesCommand,
  type Tag,
} from "@aws-sdk/client-ec2";
import type { AwsClients } from "#shared/aws/clients.js";
import { MANAGED_BY_SERVER, MANAGED_BY_TAG, PROJECT_TAG, RELEASE_ID_TAG } from "#shared/release/tags.js";
import { DEBIAN_12_AMI } from "../../sim/services/ec2/seed.js";
import { waitFor } from "./autoscaling.js";

export const tagList = (t: Record<string, string>): Tag[] =>
  Object.entries(t).map(([Key, Value]) => ({ Key, Value }));

export function ebsFixtures(aws: () => AwsClients, zone: () => string) {
  const ec2 = () => aws().ec2;
  return {
    /** A running instance. */
    async instance(): Promise<string> {
      const id = (
        await ec2().send(new RunInstancesCommand({ ImageId: DEBIAN_12_AMI, MinCount: 1, MaxCount: 1 }))
      ).Instances![0]!.InstanceId!;
      await waitFor(
        async () => (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations,
        (r) => r?.[0]?.Instances?.[0]?.State?.Name === "running",
        `instance ${id} running`,
      );
      return id;
    },

    async volume(tags: Record<string, string>): Promise<string> {
      const out = await ec2().send(
        new CreateVolumeCommand({
          AvailabilityZone: zone(),
          Size: 1,
          TagSpecifications: [{ ResourceType: "volume", Tags: tagList(tags) }],
        }),
      );
      return out.VolumeId!;
    },

    volumesIn: (ids: string[], state: string) =>
      waitFor(
        async () => (await ec2().send(new DescribeVolumesCommand({ VolumeIds: ids }))).Volumes,
        (v) => v?.every((x) => x.State === state) ?? false,
        `volumes ${ids.join(", ")} ${state}`,
      ),

    /** A snapshot tagged as the release server tags a release of `project`. */
    async releaseSnapshot(source: string, project: string, releaseId: string): Promise<string> {
      const out = await ec2().send(
        new CreateSnapshotCommand({
          VolumeId: source,
          TagSpecifications: [
            {
              ResourceType: "snapshot",
              Tags: tagList({
                [PROJECT_TAG]: project,
                [MANAGED_BY_TAG]: MANAGED_BY_SERVER,
                [RELEASE_ID_TAG]: releaseId,
              }),
            },
          ],
        }),
      );
      return out.SnapshotId!;
    },

    /** Which of `ids` still exist (not deleting or deleted), sorted. */
    async volumesLeft(ids: string[]): Promise<string[]> {
      const out = await ec2().send(
        new DescribeVolumesCommand({ Filters: [{ Name: "volume-id", Values: ids }] }),
      );
      return (out.Volumes ?? [])
        .filter((v) => v.State !== "deleting" && v.State !== "deleted")
        .map((v) => v.VolumeId!)
        .sort();
    },

    async snapshotsLeft(ids: string[]): Promise<string[]> {
      const out = await ec2().send(
        new DescribeSnapshotsCommand({ OwnerIds: ["self"], Filters: [{ Name: "snapshot-id", Values: ids }] }),
      );
      return (out.Snapshots ?? []).map((s) => s.SnapshotId!).sort();
    },
  };
}
