// What the deploy path reads from AWS before planning (observe.ts fills it; the planners only read
// it). Everything is plain data, so a plan can be computed, printed and tested without AWS.
import type { LaunchData } from "../launch-data.js";

export interface ObservedInstance {
  instanceId: string;
  /** Auto Scaling lifecycle state: Pending, Pending:Wait, InService, Terminating... */
  lifecycleState: string;
  /** Auto Scaling health: Healthy or Unhealthy. */
  healthStatus: string;
  availabilityZone: string;
  /** EC2 state (pending, running...), when EC2 described the instance. */
  ec2State?: string;
  privateIp?: string;
  /** The image tag the instance was launched with (propagated from its group). */
  imageId?: string;
}

export type LaunchSource =
  { kind: "template"; id: string; name: string; version: string } | { kind: "configuration"; name: string };

export interface ObservedGroup {
  name: string;
  component: string;
  slot: string;
  /** Tagged with this project: asg-release made it and may change or delete it. */
  managed: boolean;
  imageId?: string;
  digest?: string;
  launch?: LaunchSource;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  availabilityZones: string[];
  loadBalancerNames: string[];
  targetGroupArns: string[];
  instances: ObservedInstance[];
  /** DeleteAutoScalingGroup has been called: the group goes away once its members have. */
  deleting: boolean;
  createdTime: string;
  tags: Record<string, string>;
  /** Keys of the group's tags that are not propagated to the instances it launches. */
  unpropagatedTags?: string[];
}

export interface ObservedLaunchTemplate {
  id: string;
  name: string;
  /** The default version's settings. */
  data: LaunchData;
  defaultVersion: number;
}

export interface ObservedLaunchConfiguration {
  name: string;
  data: LaunchData;
}

export interface TargetHealth {
  /** healthy, unhealthy, initial, draining, unused, unavailable (v2); InService, OutOfService (classic). */
  state: string;
  reason?: string;
  description?: string;
}

export interface ObservedClassicLb {
  kind: "classic";
  name: string;
  vpcId?: string;
  zones: string[];
  /** Connection draining timeout in seconds (0 when draining is off). */
  drainSeconds: number;
  health: Record<string, TargetHealth>;
}

export interface ObservedTargetGroup {
  kind: "targetGroup";
  arn: string;
  name: string;
  vpcId?: string;
  port?: number;
  /** The zones of the load balancers that forward to it (docs/spec/deploy.md#lb-zones). */
  zones: string[];
  loadBalancerArns: string[];
  drainSeconds: number;
  health: Record<string, TargetHealth>;
}

export type ObservedLb = ObservedClassicLb | ObservedTargetGroup;

export interface ObservedSubnet {
  id: string;
  name?: string;
  availabilityZone: string;
  vpcId: string;
}

export interface ObservedNetwork {
  vpcId: string;
  subnets: ObservedSubnet[];
  securityGroups: { id: string; name: string }[];
}

/** An instance detached for delegated destroy whose hand-off was not confirmed (a crash in between). */
export interface PendingHandoff {
  instanceId: string;
  component: string;
  privateIp?: string;
}

export interface Observed {
  region: string;
  project: string;
  /** Absent in limited-permissions mode, which resolves no network. */
  network?: ObservedNetwork;
  groups: ObservedGroup[];
  launchTemplates: ObservedLaunchTemplate[];
  launchConfigurations: ObservedLaunchConfiguration[];
  /** Launch templates/configurations named by launch_config.template, by name. */
  templateSources: Record<string, LaunchData>;
  /** The registered key pairs among those launch_config.key names; absent: not checked. */
  keyPairs?: string[];
  /** Load balancers and target groups bound in `lb`, by the name or ARN written there. */
  lbs: Record<string, ObservedLb>;
  pendingHandoffs: PendingHandoff[];
}
