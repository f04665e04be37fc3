// Small descriptive operations: lifecycle hook types, termination policy types, account limits.
import type { OpHandler } from "../types.js";
import { LAUNCHING, TERMINATING } from "./lifecycle.js";

export const describeLifecycleHookTypes: OpHandler = () => ({ LifecycleHookTypes: [LAUNCHING, TERMINATING] });

export const describeTerminationPolicyTypes: OpHandler = () => ({
  TerminationPolicyTypes: [
    "ClosestToNextInstanceHour",
    "Default",
    "NewestInstance",
    "OldestInstance",
    "OldestLaunchConfiguration",
    "OldestLaunchTemplate",
    "AllocationStrategy",
  ],
});

export const describeAccountLimits: OpHandler = ({ region }) => ({
  MaxNumberOfAutoScalingGroups: 500,
  MaxNumberOfLaunchConfigurations: 200,
  NumberOfAutoScalingGroups: region.autoScalingGroups.size,
  NumberOfLaunchConfigurations: region.launchConfigurations.size,
});
