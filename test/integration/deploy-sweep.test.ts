// Release volumes left behind by the members of a deleted group: an instance terminated while its
// boot agent was between CreateVolume and DeleteOnTermination leaves its volume `available`. A
// destroy deletes those, and only those: volumes of other instances and volumes the agent did not
// make stay.
import { DescribeVolumesCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { INSTANCE_ID_TAG } from "#shared/release/tags.js";
import { envYaml, groups, leftVolume, modelYaml, run, useDeployWorld } from "../support/deploy.js";

const world = useDeployWorld((w) => ({
  "env.yaml": envYaml(w),
  "v1.yaml": modelYaml({ front: { image: "reg/front:1", replicas: 2 } }),
}));

async function remaining(ids: string[]): Promise<string[]> {
  const out = await world.aws.ec2.send(
    new DescribeVolumesCommand({ Filters: [{ Name: "volume-id", Values: ids }] }),
  );
  return (out.Volumes ?? [])
    .filter((v) => v.State !== "deleting" && v.State !== "deleted")
    .map((v) => v.VolumeId!)
    .sort();
}

describe("destroy sweeps the release volumes a deleted group's instances left behind", () => {
  it("deletes the agent's available volumes of the group's instances and nothing else", async () => {
    expect((await run(world, { model: "v1.yaml" })).error?.message).toBeUndefined();
    const [g] = await groups(world.aws);
    const [first, second] = (g?.Instances ?? []).map((i) => i.InstanceId!);
    expect(first && second).toBeTruthy();
    const leaked = await leftVolume(world, first!);
    const alsoLeaked = await leftVolume(world, second!);
    const otherInstance = await leftVolume(world, "i-0123456789abcdef0");
    const notTheAgents = await leftVolume(world, first!, { [INSTANCE_ID_TAG]: first! });

    const r = await run(world, { operation: "destroy" });
    expect(r.error?.message).toBeUndefined();
    expect(r.progress).toMatch(/delete the release volumes shop\.front_A's instances left behind/);
    expect(r.progress).toContain(`deleted ${leaked}, left by ${first}`);
    expect(r.progress).toContain(`deleted ${alsoLeaked}, left by ${second}`);
    expect(await remaining([leaked, alsoLeaked, otherInstance, notTheAgents])).toEqual(
      [otherInstance, notTheAgents].sort(),
    );
    expect(await groups(world.aws)).toEqual([]);
  });
});
