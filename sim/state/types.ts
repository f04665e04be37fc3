// The resources of the local region. Field names follow the AWS API spellings so services can
// serialise them with little mapping. Everything is plain data (JSON-able apart from Dates) so
// the whole state can be dumped through the control API.

export type Tags = Record<string, string>;

export interface Vpc {
  vpcId: string;
  cidrBlock: string;
  isDefault: boolean;
  state: "available";
  tags: Tags;
}

export interface Subnet {
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  cidrBlock: string;
  mapPublicIpOnLaunch: boolean;
  defaultForAz: boolean;
  state: "available";
  tags: Tags;
}

export interface SecurityGroup {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  tags: Tags;
  /** Inbound rules, recorded and described; the sim's loopback network does not enforce them. */
  ingress?: IngressRule[];
}

export interface IngressRule {
  ruleId: string;
  /** "-1" (all), "tcp", "udp", "icmp" or a protocol number. */
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidr?: string;
  sourceGroupId?: string;
}

export interface KeyPair {
  keyPairId: string;
  keyName: string;
  keyFingerprint: string;
  /** OpenSSH public key, authorised for root on full instances launched with this key. */
  publicKey: string;
  createTime: Date;
  tags: Tags;
  keyType?: "rsa" | "ed25519";
}

export interface Image {
  imageId: string;
  name: string;
  description: string;
  ownerId: string;
  state: "available";
  architecture: "x86_64" | "arm64";
  rootDeviceName: string;
  creationDate: Date;
  tags: Tags;
  /** "amazon" for the seeded images, as DescribeImages reports them. */
  imageOwnerAlias?: string;
  public?: boolean;
  /** The root device's snapshot and size (GiB): instances get a root volume made from it. */
  rootSnapshotId?: string;
  rootVolumeSize?: number;
}

export type InstanceStateName =
  "pending" | "running" | "shutting-down" | "terminated" | "stopping" | "stopped";

export interface InstanceBlockDevice {
  deviceName: string;
  volumeId: string;
  deleteOnTermination: boolean;
  attachTime: Date;
}

export interface Instance {
  instanceId: string;
  imageId: string;
  instanceType: string;
  keyName?: string;
  state: InstanceStateName;
  stateTransitionReason: string;
  launchTime: Date;
  availabilityZone: string;
  subnetId: string;
  vpcId: string;
  privateIpAddress: string;
  publicIpAddress?: string;
  securityGroupIds: string[];
  /** base64, as EC2 stores it */
  userData?: string;
  iamInstanceProfile?: { arn: string; id?: string };
  ebsOptimized: boolean;
  launchTemplate?: { launchTemplateId: string; version: string };
  tags: Tags;
  blockDevices: InstanceBlockDevice[];
  /** Set when terminated, so terminated instances can be forgotten after a while, as EC2 does. */
  terminatedAt?: Date;
  /** Host kind this instance runs on: real local host or API-only. */
  hostKind: "full" | "light";
  /** Public key of the instance's sshd, once booted (full instances). */
  hostPublicKey?: string;
  reservationId?: string;
  amiLaunchIndex?: number;
  clientToken?: string;
  macAddress?: string;
  networkInterfaceId?: string;
  metadataOptions?: {
    httpTokens: "optional" | "required";
    httpEndpoint: "enabled" | "disabled";
    httpPutResponseHopLimit: number;
    instanceMetadataTags: "enabled" | "disabled";
  };
  /** Boot problem of a full instance: DescribeInstanceStatus then reports it impaired. */
  impairedReason?: string;
  /** Set once the instance has been `running`: EC2 refuses to stop one still pending from its launch. */
  hasRun?: boolean;
}

export type VolumeState = "creating" | "available" | "in-use" | "deleting" | "deleted" | "error";

export interface VolumeAttachment {
  instanceId: string;
  device: string;
  state: "attaching" | "attached" | "detaching" | "detached";
  attachTime: Date;
  deleteOnTermination: boolean;
}

export interface Volume {
  volumeId: string;
  size: number;
  snapshotId?: string;
  availabilityZone: string;
  state: VolumeState;
  createTime: Date;
  volumeType: string;
  iops?: number;
  throughput?: number;
  encrypted: boolean;
  kmsKeyId?: string;
  attachments: VolumeAttachment[];
  tags: Tags;
  /** Sparse image file holding the volume's blocks (full hosts). */
  imagePath?: string;
}

export interface Snapshot {
  snapshotId: string;
  volumeId: string;
  volumeSize: number;
  state: "pending" | "completed" | "error";
  progress: string;
  startTime: Date;
  ownerId: string;
  description: string;
  encrypted: boolean;
  kmsKeyId?: string;
  tags: Tags;
  imagePath?: string;
  /** Accounts that may create volumes from it (createVolumePermission); "all" means public. */
  sharedWith?: string[];
}

export interface LaunchTemplateData {
  imageId?: string;
  instanceType?: string;
  keyName?: string;
  securityGroupIds?: string[];
  securityGroups?: string[];
  userData?: string;
  iamInstanceProfile?: { name?: string; arn?: string };
  ebsOptimized?: boolean;
  networkInterfaces?: {
    deviceIndex: number;
    associatePublicIpAddress?: boolean;
    groups?: string[];
    subnetId?: string;
  }[];
  tagSpecifications?: { resourceType: string; tags: Tags }[];
  blockDeviceMappings?: {
    deviceName: string;
    ebs?: {
      volumeSize?: number;
      volumeType?: string;
      deleteOnTermination?: boolean;
      snapshotId?: string;
      iops?: number;
      throughput?: number;
      encrypted?: boolean;
      kmsKeyId?: string;
    };
    /** Suppresses a mapping the AMI would otherwise create. */
    noDevice?: boolean;
  }[];
  metadataOptions?: {
    httpTokens?: "optional" | "required";
    httpEndpoint?: "enabled" | "disabled";
    httpPutResponseHopLimit?: number;
    instanceMetadataTags?: "enabled" | "disabled";
  };
  placement?: { availabilityZone?: string };
  monitoring?: { enabled: boolean };
  disableApiTermination?: boolean;
  instanceInitiatedShutdownBehavior?: "stop" | "terminate";
}

export interface LaunchTemplateVersion {
  versionNumber: number;
  versionDescription?: string;
  createTime: Date;
  data: LaunchTemplateData;
}

export interface LaunchTemplate {
  launchTemplateId: string;
  launchTemplateName: string;
  createTime: Date;
  defaultVersionNumber: number;
  latestVersionNumber: number;
  versions: LaunchTemplateVersion[];
  tags: Tags;
}

export interface LaunchConfiguration {
  launchConfigurationName: string;
  launchConfigurationARN: string;
  imageId: string;
  instanceType: string;
  keyName?: string;
  securityGroups: string[];
  userData?: string;
  iamInstanceProfile?: string;
  ebsOptimized: boolean;
  associatePublicIpAddress?: boolean;
  createdTime: Date;
  blockDeviceMappings?: {
    deviceName: string;
    virtualName?: string;
    noDevice?: boolean;
    ebs?: {
      snapshotId?: string;
      volumeSize?: number;
      volumeType?: string;
      deleteOnTermination?: boolean;
      iops?: number;
      throughput?: number;
      encrypted?: boolean;
    };
  }[];
  instanceMonitoring?: boolean;
  metadataOptions?: {
    httpTokens?: "optional" | "required";
    httpPutResponseHopLimit?: number;
    httpEndpoint?: "enabled" | "disabled";
  };
  spotPrice?: string;
  placementTenancy?: string;
}

export type AsgLifecycleState =
  | "Pending"
  | "Pending:Wait"
  | "Pending:Proceed"
  | "InService"
  | "Terminating"
  | "Terminating:Wait"
  | "Terminating:Proceed"
  | "Terminated"
  | "Detaching"
  | "Detached"
  | "Standby";

export interface AsgMember {
  instanceId: string;
  availabilityZone: string;
  lifecycleState: AsgLifecycleState;
  healthStatus: "Healthy" | "Unhealthy";
  protectedFromScaleIn: boolean;
  launchConfigurationName?: string;
  launchTemplate?: { launchTemplateId: string; launchTemplateName: string; version: string };
  /** The lifecycle actions holding the instance (one per hook of the transition), while in a :Wait state. */
  lifecycleActions?: LifecycleAction[];
  /** When the instance entered InService: the health check grace period counts from here. */
  inServiceAt?: Date;
  /** The launch or termination activity this member is part of, to close when it finishes. */
  activityId?: string;
  /** EC2 has been asked to terminate the instance. */
  terminateRequested?: boolean;
}

export interface LifecycleAction {
  hookName: string;
  token: string;
  heartbeatDeadline: Date;
  globalDeadline: Date;
  /** Set when completed by CompleteLifecycleAction or by the heartbeat timeout's default result. */
  result?: "CONTINUE" | "ABANDON";
  /** Why it ended, for the activity's status message. */
  endedBy?: "user" | "timeout";
}

export interface ScalingActivity {
  activityId: string;
  autoScalingGroupName: string;
  description: string;
  cause: string;
  startTime: Date;
  endTime?: Date;
  statusCode: string;
  statusMessage?: string;
  progress: number;
  /** JSON, e.g. {"Subnet ID":"subnet-..","Availability Zone":"us-east-1a"} */
  details: string;
}

export interface AsgLaunchTemplateSpec {
  launchTemplateId: string;
  launchTemplateName: string;
  version: string;
}

export interface MixedInstancesPolicy {
  launchTemplate: {
    launchTemplateSpecification: AsgLaunchTemplateSpec;
    overrides: { instanceType?: string; weightedCapacity?: string }[];
  };
  instancesDistribution?: {
    onDemandAllocationStrategy?: string;
    onDemandBaseCapacity?: number;
    onDemandPercentageAboveBaseCapacity?: number;
    spotAllocationStrategy?: string;
    spotInstancePools?: number;
    spotMaxPrice?: string;
  };
}

export interface AsgTag {
  key: string;
  value: string;
  propagateAtLaunch: boolean;
}

export interface LifecycleHook {
  lifecycleHookName: string;
  autoScalingGroupName: string;
  lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING" | "autoscaling:EC2_INSTANCE_TERMINATING";
  heartbeatTimeout: number;
  globalTimeout: number;
  defaultResult: "CONTINUE" | "ABANDON";
  notificationMetadata?: string;
  notificationTargetARN?: string;
  roleARN?: string;
}

export interface AutoScalingGroup {
  autoScalingGroupName: string;
  autoScalingGroupARN: string;
  launchConfigurationName?: string;
  launchTemplate?: { launchTemplateId: string; launchTemplateName: string; version: string };
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  defaultCooldown: number;
  availabilityZones: string[];
  /** Subnet ids, comma-separated in the API. */
  vpcZoneIdentifier: string[];
  loadBalancerNames: string[];
  targetGroupARNs: string[];
  healthCheckType: "EC2" | "ELB";
  healthCheckGracePeriod: number;
  createdTime: Date;
  status?: string;
  suspendedProcesses: string[];
  tags: AsgTag[];
  members: AsgMember[];
  lifecycleHooks: LifecycleHook[];
  newInstancesProtectedFromScaleIn: boolean;
  mixedInstancesPolicy?: MixedInstancesPolicy;
  terminationPolicies?: string[];
  /** SuspensionReason per suspended process ("User suspended at ..."). */
  suspensionReasons?: Record<string, string>;
  /** The start of launch/terminate causes: what last changed the desired capacity, until it is met. */
  capacityCause?: string;
  /** Newest last; kept to the last few hundred. */
  activities: ScalingActivity[];
}

export interface ElbHealthCheck {
  target: string;
  interval: number;
  timeout: number;
  unhealthyThreshold: number;
  healthyThreshold: number;
}

/** Health of one target as measured by the sim's prober. */
export interface TargetHealth {
  state: string;
  reasonCode?: string;
  description?: string;
  consecutiveOk: number;
  consecutiveFail: number;
  /** draining targets leave at this time */
  drainUntil?: Date;
}

export interface ClassicLoadBalancer {
  loadBalancerName: string;
  dnsName: string;
  createdTime: Date;
  vpcId?: string;
  subnets: string[];
  availabilityZones: string[];
  securityGroups: string[];
  scheme: string;
  listeners: { protocol: string; loadBalancerPort: number; instanceProtocol: string; instancePort: number }[];
  healthCheck: ElbHealthCheck;
  instances: Record<string, TargetHealth>;
  tags: Tags;
  attributes: ClassicLbAttributes;
}

export interface ClassicLbAttributes {
  crossZoneLoadBalancing: boolean;
  connectionDraining: { enabled: boolean; timeout: number };
  idleTimeout: number;
  accessLog: { enabled: boolean; s3BucketName?: string; emitInterval?: number; s3BucketPrefix?: string };
}

export interface TargetGroup {
  targetGroupArn: string;
  targetGroupName: string;
  protocol: string;
  port: number;
  vpcId: string;
  targetType: "instance" | "ip";
  healthCheck: {
    protocol: string;
    port: string;
    path: string;
    intervalSeconds: number;
    timeoutSeconds: number;
    healthyThresholdCount: number;
    unhealthyThresholdCount: number;
    matcher: string;
    enabled: boolean;
  };
  deregistrationDelaySeconds: number;
  /** Other target group attributes (stickiness, algorithm), as DescribeTargetGroupAttributes lists them. */
  attributes: Record<string, string>;
  protocolVersion?: string;
  loadBalancerArns: string[];
  /** key `${id}:${port}` */
  targets: Record<string, { id: string; port: number; availabilityZone?: string; health: TargetHealth }>;
  tags: Tags;
}

export interface LoadBalancerV2 {
  loadBalancerArn: string;
  loadBalancerName: string;
  dnsName: string;
  type: "application" | "network";
  scheme: string;
  vpcId: string;
  state: "active" | "provisioning";
  createdTime: Date;
  availabilityZones: { zoneName: string; subnetId: string }[];
  securityGroups: string[];
  listeners: {
    listenerArn: string;
    port: number;
    protocol: string;
    /** The first target group the default actions forward to. */
    targetGroupArn: string;
    defaultActions: ListenerAction[];
    tags: Tags;
  }[];
  tags: Tags;
  ipAddressType: string;
}

export interface ListenerAction {
  type: string;
  order?: number;
  targetGroupArn?: string;
  forward?: { targetGroupArn: string; weight?: number }[];
}

export interface S3Object {
  key: string;
  body: Buffer;
  etag: string;
  lastModified: Date;
  contentType: string;
  metadata: Record<string, string>;
  /** Checksums the uploader sent, by algorithm ("CRC32": base64), returned in checksum mode. */
  checksums?: Record<string, string>;
  contentEncoding?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentLanguage?: string;
}

export interface Bucket {
  name: string;
  region: string;
  creationDate: Date;
  objects: Record<string, S3Object>;
  /** The bucket policy (JSON) and public access block (XML) as put; stored, not enforced. */
  policy?: string;
  publicAccessBlock?: string;
}
