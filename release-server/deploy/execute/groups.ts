// Auto Scaling groups: created (with their tags and launch hook), resized, deleted.
import {
  CreateAutoScalingGroupCommand,
  DeleteAutoScalingGroupCommand,
  UpdateAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import { awsSend } from "#shared/aws/call.js";
import { exists, notFound } from "./already-done.js";
import type { Handlers } from "./handler.js";
import { toCreateGroupInput } from "./sdk-group.js";

export const groupHandlers: Handlers<"createGroup" | "setCapacity" | "deleteGroup"> = {
  async createGroup(a, { aws }) {
    await awsSend(
      aws.autoscaling,
      new CreateAutoScalingGroupCommand(toCreateGroupInput(a)),
      { group: a.group },
      exists,
    );
  },

  async setCapacity(a, { aws }) {
    await awsSend(
      aws.autoscaling,
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: a.group,
        MinSize: a.minSize,
        MaxSize: a.maxSize,
        DesiredCapacity: a.desiredCapacity,
      }),
      { group: a.group },
    );
  },

  async deleteGroup(a, { aws }) {
    await awsSend(
      aws.autoscaling,
      new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: a.group, ForceDelete: true }),
      { group: a.group },
      notFound,
    );
  },
};
