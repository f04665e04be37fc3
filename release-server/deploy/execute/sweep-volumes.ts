// After a group is gone: the release volumes the boot agent made for its members and that outlived
// them. The agent sets DeleteOnTermination as soon as the volume is attached, but an instance
// terminated between CreateVolume and that call (a slot torn down while its instances still boot)
// leaves an `available` volume behind. The release server sweeps such volumes too, on its
// housekeeping schedule; deploy does it for the groups it deletes, so a destroy leaves nothing.
import { paginateDescribeInstances, paginateDescribeVolumes } from "@aws-sdk/client-ec2";
import { awsCall } from "#shared/aws/call.js";
import type { AwsClients } from "#shared/aws/clients.js";
import { tagMap } from "#shared/aws/tags.js";
import { INSTANCE_ID_TAG, MANAGED_BY_AGENT, MANAGED_BY_TAG } from "#shared/release/tags.js";
import { deleteSweptVolumes } from "../../publish/housekeeping.js";
import { planSweep, type ObservedVolume } from "../../publish/plan/sweep.js";
import type { ActionOf } from "../actions.js";
import type { Handlers } from "./handler.js";

/** EC2's tag for the group an instance was launched by; terminated instances keep it for a while. */
const GROUP_TAG = "aws:autoscaling:groupName";
const CHUNK = 200;

/** Deletes the agent's volumes left `available` by members of `a.group`; returns their ids. */
export async function sweepVolumes(
  deps: { aws: AwsClients; report: (text: string) => void },
  a: ActionOf<"sweepVolumes">,
): Promise<string[]> {
  const { ec2 } = deps.aws;
  const members = new Set<string>();
  const live = new Set<string>();
  await awsCall("DescribeInstances", { group: a.group }, async () => {
    for await (const page of paginateDescribeInstances(
      { client: ec2 },
      { Filters: [{ Name: `tag:${GROUP_TAG}`, Values: [a.group] }] },
    ))
      for (const r of page.Reservations ?? [])
        for (const i of r.Instances ?? []) {
          if (!i.InstanceId) continue;
          members.add(i.InstanceId);
          if (i.State?.Name !== "terminated") live.add(i.InstanceId);
        }
  });
  const ids = [...members];
  const volumes: ObservedVolume[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    await awsCall("DescribeVolumes", { group: a.group }, async () => {
      for await (const page of paginateDescribeVolumes(
        { client: ec2 },
        {
          Filters: [
            { Name: `tag:${MANAGED_BY_TAG}`, Values: [MANAGED_BY_AGENT] },
            { Name: `tag:${INSTANCE_ID_TAG}`, Values: chunk },
            { Name: "status", Values: ["available"] },
          ],
        },
      ))
        for (const v of page.Volumes ?? [])
          volumes.push({ volumeId: v.VolumeId ?? "", state: v.State ?? "", tags: tagMap(v.Tags) });
    });
  }
  const deleted: string[] = [];
  await deleteSweptVolumes(deps.aws, planSweep(volumes, live), (d) => {
    deps.report(`deleted ${d.volumeId}, left by ${d.instanceId}`);
    deleted.push(d.volumeId);
  });
  return deleted;
}

export const volumeHandlers: Handlers<"sweepVolumes"> = {
  async sweepVolumes(a, deps) {
    await sweepVolumes(deps, a);
  },
};
