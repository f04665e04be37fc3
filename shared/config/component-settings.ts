// A component's effective ec2-asg settings (docs/spec/deploy.md#components): its launch_config and tags
// merged over the global ones, the component's always taking precedence; its subnets replacing the global
// ones.
import type { Ec2AsgConfig } from "./ec2-asg-schema.js";
import { mergeLaunchConfig, type EffectiveLaunchConfig } from "./launch-config.js";

export interface ComponentEc2Settings {
  launch_config: EffectiveLaunchConfig;
  tags: Record<string, string>;
  subnets: string[] | string;
  /** True when `components.<name>.launch_config` exists, i.e. this component's launch settings are its own. */
  ownLaunchConfig: boolean;
}

export function componentSettings(config: Ec2AsgConfig, component: string): ComponentEc2Settings {
  const own = config.components[component];
  return {
    launch_config: mergeLaunchConfig(config.launch_config, own?.launch_config),
    tags: { ...config.tags, ...own?.tags },
    subnets: own?.subnets ?? config.subnets,
    ownLaunchConfig: own?.launch_config !== undefined,
  };
}
