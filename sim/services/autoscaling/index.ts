// The Auto Scaling service: its operation table, and the reconcile loop that makes groups real.
import type { Sim } from "../../runtime.js";
import type { QueryService } from "../types.js";
import { describeScalingActivities } from "./activities.js";
import { attachInstances } from "./attach.js";
import { setDesiredCapacity } from "./capacity.js";
import { addAutoScalingControls } from "./control.js";
import { createAutoScalingGroup } from "./create-group.js";
import { withListParams } from "./params.js";
import { deleteAutoScalingGroup } from "./delete-group.js";
import { describeAutoScalingGroups } from "./describe-groups.js";
import {
  describeAutoScalingInstances,
  detachInstances,
  setInstanceProtection,
  terminateInstanceInAutoScalingGroup,
} from "./instances.js";
import {
  createLaunchConfiguration,
  deleteLaunchConfiguration,
  describeLaunchConfigurations,
} from "./launch-configurations.js";
import { completeLifecycleAction, recordLifecycleActionHeartbeat } from "./lifecycle-actions.js";
import { deleteLifecycleHook, describeLifecycleHooks, putLifecycleHook } from "./lifecycle-hooks.js";
import {
  attachLoadBalancers,
  attachLoadBalancerTargetGroups,
  describeLoadBalancers,
  describeLoadBalancerTargetGroups,
  detachLoadBalancers,
  detachLoadBalancerTargetGroups,
} from "./load-balancers.js";
import { describeScalingProcessTypes, resumeProcesses, suspendProcesses } from "./processes.js";
import {
  describeAccountLimits,
  describeLifecycleHookTypes,
  describeTerminationPolicyTypes,
} from "./service-info.js";
import { enterStandby, exitStandby } from "./standby.js";
import { createOrUpdateTags, deleteTags, describeTags } from "./tags.js";
import { updateAutoScalingGroup } from "./update-group.js";
import { startReconcileLoops } from "./reconcile/loop.js";

export function autoscalingService(sim: Sim): QueryService {
  startReconcileLoops(sim);
  addAutoScalingControls(sim);
  return {
    name: "autoscaling",
    version: "2011-01-01",
    xmlns: "http://autoscaling.amazonaws.com/doc/2011-01-01/",
    throttleCode: "Throttling",
    ops: withListParams({
      CreateLaunchConfiguration: createLaunchConfiguration,
      DescribeLaunchConfigurations: describeLaunchConfigurations,
      DeleteLaunchConfiguration: deleteLaunchConfiguration,
      CreateAutoScalingGroup: createAutoScalingGroup,
      UpdateAutoScalingGroup: updateAutoScalingGroup,
      DescribeAutoScalingGroups: describeAutoScalingGroups,
      DeleteAutoScalingGroup: deleteAutoScalingGroup,
      SetDesiredCapacity: setDesiredCapacity,
      TerminateInstanceInAutoScalingGroup: terminateInstanceInAutoScalingGroup,
      DetachInstances: detachInstances,
      AttachInstances: attachInstances,
      DescribeAutoScalingInstances: describeAutoScalingInstances,
      SetInstanceProtection: setInstanceProtection,
      EnterStandby: enterStandby,
      ExitStandby: exitStandby,
      CreateOrUpdateTags: createOrUpdateTags,
      DeleteTags: deleteTags,
      DescribeTags: describeTags,
      PutLifecycleHook: putLifecycleHook,
      DescribeLifecycleHooks: describeLifecycleHooks,
      DeleteLifecycleHook: deleteLifecycleHook,
      CompleteLifecycleAction: completeLifecycleAction,
      RecordLifecycleActionHeartbeat: recordLifecycleActionHeartbeat,
      AttachLoadBalancers: attachLoadBalancers,
      DetachLoadBalancers: detachLoadBalancers,
      DescribeLoadBalancers: describeLoadBalancers,
      AttachLoadBalancerTargetGroups: attachLoadBalancerTargetGroups,
      DetachLoadBalancerTargetGroups: detachLoadBalancerTargetGroups,
      DescribeLoadBalancerTargetGroups: describeLoadBalancerTargetGroups,
      SuspendProcesses: suspendProcesses,
      ResumeProcesses: resumeProcesses,
      DescribeScalingProcessTypes: describeScalingProcessTypes,
      DescribeScalingActivities: describeScalingActivities,
      DescribeLifecycleHookTypes: describeLifecycleHookTypes,
      DescribeTerminationPolicyTypes: describeTerminationPolicyTypes,
      DescribeAccountLimits: describeAccountLimits,
    }),
  };
}
