// All state of the local region, partitioned by region as AWS is; S3 buckets are global names.
import { IamState } from "./iam.js";
import type {
  AutoScalingGroup,
  Bucket,
  ClassicLoadBalancer,
  Image,
  Instance,
  KeyPair,
  LaunchConfiguration,
  LaunchTemplate,
  LoadBalancerV2,
  SecurityGroup,
  Snapshot,
  Subnet,
  TargetGroup,
  Volume,
  Vpc,
} from "./types.js";

export class RegionState {
  readonly vpcs = new Map<string, Vpc>();
  readonly subnets = new Map<string, Subnet>();
  readonly securityGroups = new Map<string, SecurityGroup>();
  readonly keyPairs = new Map<string, KeyPair>();
  readonly images = new Map<string, Image>();
  readonly instances = new Map<string, Instance>();
  readonly volumes = new Map<string, Volume>();
  readonly snapshots = new Map<string, Snapshot>();
  readonly launchTemplates = new Map<string, LaunchTemplate>();
  readonly launchConfigurations = new Map<string, LaunchConfiguration>();
  readonly autoScalingGroups = new Map<string, AutoScalingGroup>();
  readonly loadBalancers = new Map<string, ClassicLoadBalancer>();
  readonly loadBalancersV2 = new Map<string, LoadBalancerV2>();
  readonly targetGroups = new Map<string, TargetGroup>();

  constructor(
    readonly name: string,
    readonly availabilityZones: string[],
  ) {}

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, availabilityZones: this.availabilityZones };
    for (const [key, value] of Object.entries(this)) {
      if (value instanceof Map) out[key] = [...value.values()];
    }
    return out;
  }
}

export interface SimStateOptions {
  accountId: string;
  regions: Record<string, string[]>;
}

export const DEFAULT_REGIONS: Record<string, string[]> = {
  "us-east-1": ["us-east-1a", "us-east-1b", "us-east-1c"],
  "eu-west-1": ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
};

export class SimState {
  readonly accountId: string;
  readonly regions = new Map<string, RegionState>();
  readonly buckets = new Map<string, Bucket>();
  /** IAM is global to the account. */
  readonly iam = new IamState();

  constructor(opts: SimStateOptions) {
    this.accountId = opts.accountId;
    for (const [name, azs] of Object.entries(opts.regions))
      this.regions.set(name, new RegionState(name, azs));
  }

  region(name: string): RegionState | undefined {
    return this.regions.get(name);
  }

  toJSON(): Record<string, unknown> {
    return {
      accountId: this.accountId,
      regions: Object.fromEntries([...this.regions].map(([k, r]) => [k, r.toJSON()])),
      buckets: [...this.buckets.values()].map((b) => ({
        ...b,
        objects: Object.values(b.objects).map((o) => ({ ...o, body: undefined, size: o.body.length })),
      })),
    };
  }
}
