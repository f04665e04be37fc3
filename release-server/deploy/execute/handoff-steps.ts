// Delegated destroy, step by step: members are tagged for hand-off, detached from their group,
// posted to the handler, and untagged once it has them; an interrupted run finds the tag and resumes.
import { DetachInstancesCommand } from "@aws-sdk/client-auto-scaling";
import { CreateTagsCommand, DeleteTagsCommand } from "@aws-sdk/client-ec2";
import { awsSend } from "#shared/aws/call.js";
import type { Handlers } from "./handler.js";
import { groupMembers } from "./wait-join.js";

export const handoffHandlers: Handlers<"markHandoff" | "detachInstances" | "postHandoff" | "clearHandoff"> = {
  async markHandoff(a, deps) {
    await awsSend(
      deps.aws.ec2,
      new CreateTagsCommand({ Resources: a.instanceIds, Tags: [{ Key: deps.handoffTag, Value: "pending" }] }),
      { instances: a.instanceIds.join(",") },
    );
  },

  async detachInstances(a, { aws }) {
    // Only those still in the group: a re-run may find some already detached.
    const members = new Set(((await groupMembers(aws, a.group)) ?? []).map((m) => m.InstanceId));
    const ids = a.instanceIds.filter((id) => members.has(id));
    if (ids.length)
      await awsSend(
        aws.autoscaling,
        new DetachInstancesCommand({
          AutoScalingGroupName: a.group,
          InstanceIds: ids,
          ShouldDecrementDesiredCapacity: true,
        }),
        { group: a.group },
      );
  },

  async postHandoff(a, deps) {
    for (const body of a.bodies) {
      await deps.handoff.post(a.uri, body);
      deps.report(`handed off ${body.ec2_instance_id}`);
    }
  },

  async clearHandoff(a, deps) {
    await awsSend(
      deps.aws.ec2,
      new DeleteTagsCommand({ Resources: a.instanceIds, Tags: [{ Key: deps.handoffTag }] }),
      { instances: a.instanceIds.join(",") },
    );
  },
};
