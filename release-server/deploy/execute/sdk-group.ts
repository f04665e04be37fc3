// The CreateAutoScalingGroup request for a createGroup action: launch source, capacity, subnets,
// health checks, tags (propagated to instances but for the group's own), and the launch lifecycle hook.
import type { CreateAutoScalingGroupCommandInput } from "@aws-sdk/client-auto-scaling";
import type { ActionOf } from "../actions.js";

export function toCreateGroupInput(a: ActionOf<"createGroup">): CreateAutoScalingGroupCommandInput {
  return {
    AutoScalingGroupName: a.group,
    ...(a.launch.kind === "template"
      ? { LaunchTemplate: { LaunchTemplateName: a.launch.name, Version: "$Default" } }
      : { LaunchConfigurationName: a.launch.name }),
    MinSize: a.minSize,
    MaxSize: a.maxSize,
    DesiredCapacity: a.desiredCapacity,
    VPCZoneIdentifier: a.subnetIds.join(","),
    HealthCheckType: a.healthCheck.type,
    HealthCheckGracePeriod: a.healthCheck.graceSeconds,
    Tags: [
      ...Object.entries(a.tags).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: true })),
      ...Object.entries(a.groupTags).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: false })),
    ].map((t) => ({ ...t, ResourceId: a.group, ResourceType: "auto-scaling-group" })),
    // Made with the group, so no instance can launch before the hook is in place.
    ...(a.hook
      ? {
          LifecycleHookSpecificationList: [
            {
              LifecycleHookName: a.hook.name,
              LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
              HeartbeatTimeout: a.hook.heartbeatTimeout,
              DefaultResult: a.hook.defaultResult,
            },
          ],
        }
      : {}),
  };
}
