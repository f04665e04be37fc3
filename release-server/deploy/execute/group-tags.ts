// Tags on a group that record something about it: the kept-slot deadline (rollout.keep_old_slot)
// set when a slot is detached and kept, and cleared when it serves again.
import { CreateOrUpdateTagsCommand, DeleteTagsCommand } from "@aws-sdk/client-auto-scaling";
import { awsSend } from "#shared/aws/call.js";
import { systemClock } from "#shared/poll.js";
import type { Handlers } from "./handler.js";

// Not propagated: the instances of a kept slot keep the tags they launched with.
export const groupTag = (group: string, key: string, value: string | undefined) => ({
  ResourceId: group,
  ResourceType: "auto-scaling-group",
  Key: key,
  PropagateAtLaunch: false,
  ...(value !== undefined ? { Value: value } : {}),
});

export const groupTagHandlers: Handlers<"keepGroup" | "unkeepGroup"> = {
  async keepGroup(a, deps) {
    // The time is taken when the slot is detached, not when the plan was made.
    const until = new Date((deps.clock ?? systemClock).now() + a.seconds * 1000).toISOString();
    await awsSend(
      deps.aws.autoscaling,
      new CreateOrUpdateTagsCommand({ Tags: [groupTag(a.group, deps.keptTag, until)] }),
      { group: a.group },
    );
  },

  async unkeepGroup(a, deps) {
    await awsSend(
      deps.aws.autoscaling,
      new DeleteTagsCommand({ Tags: [groupTag(a.group, deps.keptTag, undefined)] }),
      { group: a.group },
    );
  },
};
