// Launch settings as the planner sees them, for launch templates and launch configurations alike: the
// attributes launch_config maps (docs/spec/deploy.md#launch-config), plus what is carried over unchanged from
// a template or a running group (block devices, metadata options, monitoring).

export interface BlockDevice {
  deviceName: string;
  noDevice?: boolean;
  volumeSize?: number;
  volumeType?: string;
  deleteOnTermination?: boolean;
  encrypted?: boolean;
  snapshotId?: string;
  iops?: number;
  throughput?: number;
}

export interface MetadataOptions {
  httpTokens?: string;
  httpEndpoint?: string;
  httpPutResponseHopLimit?: number;
  instanceMetadataTags?: string;
}

export interface LaunchData {
  imageId?: string;
  instanceType?: string;
  keyName?: string;
  securityGroupIds?: string[];
  /** Instance profile name or ARN. */
  instanceProfile?: string;
  /** Plain text (not base64). */
  userData?: string;
  ebsOptimized?: boolean;
  /** Absent: the subnet's default. */
  associatePublicIpAddress?: boolean;
  blockDevices?: BlockDevice[];
  metadataOptions?: MetadataOptions;
  monitoring?: boolean;
}

/** `over`'s defined attributes win over `base`'s. */
export function overlayLaunchData(base: LaunchData, over: LaunchData): LaunchData {
  const out: LaunchData = { ...base };
  for (const [key, value] of Object.entries(over) as [keyof LaunchData, unknown][]) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
