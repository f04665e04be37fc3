// Runs one action: a switch on its kind with one AWS call (or one wait) per case. Every case is
// idempotent, so a re-run after a crash can repeat the action that was under way.
import {
  AttachLoadBalancersCommand,
  AttachLoadBalancerTargetGroupsCommand,
  CreateAutoScalingGroupCommand,
  CreateOrUpdateTagsCommand,
  DeleteTagsCommand as DeleteAsgTagsCommand,
  CreateLaunchConfigurationCommand,
  DeleteAutoScalingGroupCommand,
  DeleteLaunchConfigurationCommand,
  DeleteLifecycleHookCommand,
  DetachInstancesCommand,
  DetachLoadBalancersCommand,
  DetachLoadBalancerTargetGroupsCommand,
  PutLifecycleHookCommand,
  UpdateAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import {
  CreateLaunchTemplateCommand,
  CreateTagsCommand,
  DeleteLaunchTemplateCommand,
  DeleteTagsCommand,
} from "@aws-sdk/client-ec2";
import { AsgReleaseError } from "../../../shared/errors.js";
import { systemClock } from "../../../shared/poll.js";
import type { Action, LbRef } from "../actions.js";
import { awsCall } from "../aws-call.js";
import { bake } from "./bake.js";
import type { HandoffClient } from "./handoff.js";
import { toCreateGroupInput } from "./sdk-group.js";
import { toLaunchConfiguration, toTemplateData } from "./sdk-launch.js";
import { waitDrained } from "./wait-drained.js";
import { groupMembers, waitJoin } from "./wait-join.js";
import type { WaitDeps } from "./wait-poll.js";
import { sweepVolumes } from "./sweep-volumes.js";
import { waitGroupGone } from "./wait-gone.js";

export interface ExecuteDeps extends WaitDeps {
  handoff: HandoffClient;
  /** The handoff tag key ({tag_prefix}handoff). */
  handoffTag: string;
  /** The kept-slot tag key ({tag_prefix}kept_until). */
  keptTag: string;
}

const exists = (code: string) => /AlreadyExists/.test(code);
const notFound = (code: string, message: string) =>
  /NotFound/.test(code) || /not found|does not exist/i.test(message);
// DeleteLifecycleHook of a hook that is not there: ValidationError "No Lifecycle Hook found with name ...".
const noHook = (code: string, message: string) =>
  notFound(code, message) || (code === "ValidationError" && /No Lifecycle Hook found/i.test(message));
const classic = (lbs: LbRef[]) => lbs.flatMap((l) => (l.kind === "classic" ? [l.name] : []));
const groups = (lbs: LbRef[]) => lbs.flatMap((l) => (l.kind === "targetGroup" ? [l.arn] : []));

// Not propagated: the instances of a kept slot keep the tags they launched with.
const groupTag = (group: string, key: string, value: string | undefined) => ({
  ResourceId: group,
  ResourceType: "auto-scaling-group",
  Key: key,
  PropagateAtLaunch: false,
  ...(value !== undefined ? { Value: value } : {}),
});

export async function executeAction(deps: ExecuteDeps, a: Action): Promise<void> {
  const { aws } = deps;
  const as = aws.autoscaling;
  switch (a.kind) {
    case "createLaunchTemplate":
      if (a.pendingUserData) throw new AsgReleaseError(`${a.name}: user_data from S3 was not read`);
      await awsCall(
        "CreateLaunchTemplate",
        { name: a.name },
        () =>
          aws.ec2.send(
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
          ),
        exists,
      );
      return;
    case "deleteLaunchTemplate":
      await awsCall(
        "DeleteLaunchTemplate",
        { name: a.name },
        () => aws.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: a.name })),
        notFound,
      );
      return;
    case "createLaunchConfiguration":
      if (a.pendingUserData) throw new AsgReleaseError(`${a.name}: user_data from S3 was not read`);
      await awsCall(
        "CreateLaunchConfiguration",
        { name: a.name },
        () => as.send(new CreateLaunchConfigurationCommand(toLaunchConfiguration(a.name, a.data))),
        exists,
      );
      return;
    case "deleteLaunchConfiguration":
      await awsCall(
        "DeleteLaunchConfiguration",
        { name: a.name },
        () => as.send(new DeleteLaunchConfigurationCommand({ LaunchConfigurationName: a.name })),
        notFound,
      );
      return;
    case "createGroup":
      await awsCall(
        "CreateAutoScalingGroup",
        { group: a.group },
        () => as.send(new CreateAutoScalingGroupCommand(toCreateGroupInput(a))),
        exists,
      );
      return;
    case "ensureLifecycleHook":
      // PutLifecycleHook creates or updates, so a re-run repeats it harmlessly. The record is written
      // last: a crash before it leaves the old record, and the next deploy does this again.
      if (a.hook) {
        const hook = a.hook;
        await awsCall("PutLifecycleHook", { group: a.group, hook: hook.name }, () =>
          as.send(
            new PutLifecycleHookCommand({
              AutoScalingGroupName: a.group,
              LifecycleHookName: hook.name,
              LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
              HeartbeatTimeout: hook.heartbeatTimeout,
              DefaultResult: hook.defaultResult,
            }),
          ),
        );
      }
      for (const name of a.remove)
        await awsCall(
          "DeleteLifecycleHook",
          { group: a.group, hook: name },
          () =>
            as.send(
              new DeleteLifecycleHookCommand({ AutoScalingGroupName: a.group, LifecycleHookName: name }),
            ),
          noHook,
        );
      await awsCall("CreateOrUpdateTags", { group: a.group }, () =>
        as.send(new CreateOrUpdateTagsCommand({ Tags: [groupTag(a.group, a.tag.key, a.tag.value)] })),
      );
      return;
    case "setCapacity":
      await awsCall("UpdateAutoScalingGroup", { group: a.group }, () =>
        as.send(
          new UpdateAutoScalingGroupCommand({
            AutoScalingGroupName: a.group,
            MinSize: a.minSize,
            MaxSize: a.maxSize,
            DesiredCapacity: a.desiredCapacity,
          }),
        ),
      );
      return;
    case "attachLbs":
      if (classic(a.lbs).length)
        await awsCall("AttachLoadBalancers", { group: a.group }, () =>
          as.send(
            new AttachLoadBalancersCommand({
              AutoScalingGroupName: a.group,
              LoadBalancerNames: classic(a.lbs),
            }),
          ),
        );
      if (groups(a.lbs).length)
        await awsCall("AttachLoadBalancerTargetGroups", { group: a.group }, () =>
          as.send(
            new AttachLoadBalancerTargetGroupsCommand({
              AutoScalingGroupName: a.group,
              TargetGroupARNs: groups(a.lbs),
            }),
          ),
        );
      return;
    case "detachLbs":
      if (classic(a.lbs).length)
        await awsCall(
          "DetachLoadBalancers",
          { group: a.group },
          () =>
            as.send(
              new DetachLoadBalancersCommand({
                AutoScalingGroupName: a.group,
                LoadBalancerNames: classic(a.lbs),
              }),
            ),
          notFound,
        );
      if (groups(a.lbs).length)
        await awsCall(
          "DetachLoadBalancerTargetGroups",
          { group: a.group },
          () =>
            as.send(
              new DetachLoadBalancerTargetGroupsCommand({
                AutoScalingGroupName: a.group,
                TargetGroupARNs: groups(a.lbs),
              }),
            ),
          notFound,
        );
      return;
    case "waitJoin":
      return waitJoin(deps, a);
    case "bake":
      return bake(deps, a);
    case "waitDrained":
      return waitDrained(deps, a);
    case "keepGroup": {
      // The time is taken when the slot is detached, not when the plan was made.
      const until = new Date((deps.clock ?? systemClock).now() + a.seconds * 1000).toISOString();
      await awsCall("CreateOrUpdateTags", { group: a.group }, () =>
        as.send(
          new CreateOrUpdateTagsCommand({
            Tags: [groupTag(a.group, deps.keptTag, until)],
          }),
        ),
      );
      return;
    }
    case "unkeepGroup":
      await awsCall("DeleteTags", { group: a.group }, () =>
        as.send(new DeleteAsgTagsCommand({ Tags: [groupTag(a.group, deps.keptTag, undefined)] })),
      );
      return;
    case "markHandoff":
      await awsCall("CreateTags", { instances: a.instanceIds.join(",") }, () =>
        aws.ec2.send(
          new CreateTagsCommand({
            Resources: a.instanceIds,
            Tags: [{ Key: deps.handoffTag, Value: "pending" }],
          }),
        ),
      );
      return;
    case "detachInstances": {
      // Only those still in the group: a re-run may find some already detached.
      const members = new Set(((await groupMembers(aws, a.group)) ?? []).map((m) => m.InstanceId));
      const ids = a.instanceIds.filter((id) => members.has(id));
      if (ids.length)
        await awsCall("DetachInstances", { group: a.group }, () =>
          as.send(
            new DetachInstancesCommand({
              AutoScalingGroupName: a.group,
              InstanceIds: ids,
              ShouldDecrementDesiredCapacity: true,
            }),
          ),
        );
      return;
    }
    case "postHandoff":
      for (const body of a.bodies) {
        await deps.handoff.post(a.uri, body);
        deps.report(`handed off ${body.ec2_instance_id}`);
      }
      return;
    case "clearHandoff":
      await awsCall("DeleteTags", { instances: a.instanceIds.join(",") }, () =>
        aws.ec2.send(new DeleteTagsCommand({ Resources: a.instanceIds, Tags: [{ Key: deps.handoffTag }] })),
      );
      return;
    case "deleteGroup":
      await awsCall(
        "DeleteAutoScalingGroup",
        { group: a.group },
        () =>
          as.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: a.group, ForceDelete: true })),
        notFound,
      );
      return;
    case "waitGroupGone":
      return waitGroupGone(deps, a);
    case "sweepVolumes":
      await sweepVolumes(deps, a);
      return;
  }
}
