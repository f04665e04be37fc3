// An existing group's launch lifecycle hook made as the environment says, then recorded in its tag.
import {
  CreateOrUpdateTagsCommand,
  DeleteLifecycleHookCommand,
  PutLifecycleHookCommand,
} from "@aws-sdk/client-auto-scaling";
import { awsSend } from "#shared/aws/call.js";
import { noHook } from "./already-done.js";
import { groupTag } from "./group-tags.js";
import type { Handlers } from "./handler.js";

export const lifecycleHookHandlers: Handlers<"ensureLifecycleHook"> = {
  async ensureLifecycleHook(a, { aws }) {
    const as = aws.autoscaling;
    // PutLifecycleHook creates or updates, so a re-run repeats it harmlessly. The record is written
    // last: a crash before it leaves the old record, and the next deploy does this again.
    if (a.hook) {
      await awsSend(
        as,
        new PutLifecycleHookCommand({
          AutoScalingGroupName: a.group,
          LifecycleHookName: a.hook.name,
          LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
          HeartbeatTimeout: a.hook.heartbeatTimeout,
          DefaultResult: a.hook.defaultResult,
        }),
        { group: a.group, hook: a.hook.name },
      );
    }
    for (const name of a.remove)
      await awsSend(
        as,
        new DeleteLifecycleHookCommand({ AutoScalingGroupName: a.group, LifecycleHookName: name }),
        { group: a.group, hook: name },
        noHook,
      );
    await awsSend(as, new CreateOrUpdateTagsCommand({ Tags: [groupTag(a.group, a.tag.key, a.tag.value)] }), {
      group: a.group,
    });
  },
};
