// Launch templates and launch configurations: created with the plan's launch data (user_data from
// S3 must have been read by then), deleted by name.
import {
  CreateLaunchConfigurationCommand,
  DeleteLaunchConfigurationCommand,
} from "@aws-sdk/client-auto-scaling";
import { CreateLaunchTemplateCommand, DeleteLaunchTemplateCommand } from "@aws-sdk/client-ec2";
import { awsSend } from "#shared/aws/call.js";
import { AsgReleaseError } from "#shared/errors.js";
import { exists, notFound } from "./already-done.js";
import type { Handlers } from "./handler.js";
import { toLaunchConfiguration, toTemplateData } from "./sdk-launch.js";

export const launchHandlers: Handlers<
  "createLaunchTemplate" | "deleteLaunchTemplate" | "createLaunchConfiguration" | "deleteLaunchConfiguration"
> = {
  async createLaunchTemplate(a, { aws }) {
    if (a.pendingUserData) throw new AsgReleaseError(`${a.name}: user_data from S3 was not read`);
    await awsSend(
      aws.ec2,
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: a.name,
        LaunchTemplateData: toTemplateData(a.data, a.tags),
        TagSpecifications: [
          {
            ResourceType: "launch-template",
            Tags: Object.entries(a.tags).map(([Key, Value]) => ({ Key, Value })),
          },
        ],
      }),
      { name: a.name },
      exists,
    );
  },

  async deleteLaunchTemplate(a, { aws }) {
    await awsSend(
      aws.ec2,
      new DeleteLaunchTemplateCommand({ LaunchTemplateName: a.name }),
      { name: a.name },
      notFound,
    );
  },

  async createLaunchConfiguration(a, { aws }) {
    if (a.pendingUserData) throw new AsgReleaseError(`${a.name}: user_data from S3 was not read`);
    await awsSend(
      aws.autoscaling,
      new CreateLaunchConfigurationCommand(toLaunchConfiguration(a.name, a.data)),
      { name: a.name },
      exists,
    );
  },

  async deleteLaunchConfiguration(a, { aws }) {
    await awsSend(
      aws.autoscaling,
      new DeleteLaunchConfigurationCommand({ LaunchConfigurationName: a.name }),
      { name: a.name },
      notFound,
    );
  },
};
