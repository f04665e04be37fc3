// The only place SDK clients are made. Every executable goes through here, so all of them honour
// the standard AWS settings (region and credential chains, AWS_ENDPOINT_URL[_<SERVICE>]) and talk
// to AWS or the local region alike.
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ECRClient } from "@aws-sdk/client-ecr";
import { ElasticLoadBalancingClient } from "@aws-sdk/client-elastic-load-balancing";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { S3Client } from "@aws-sdk/client-s3";
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";

export interface AwsSettings {
  region: string;
  /** Explicit endpoint (tests); otherwise the SDK reads AWS_ENDPOINT_URL and the config files. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
}

export interface AwsClients {
  readonly settings: AwsSettings;
  readonly ec2: EC2Client;
  readonly autoscaling: AutoScalingClient;
  readonly elb: ElasticLoadBalancingClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly s3: S3Client;
  /** Registry tokens for image_check_type: docker with ECR images. */
  readonly ecr: ECRClient;
  destroy(): void;
}

export type RegionSource = "setting" | "AWS_REGION" | "AWS_DEFAULT_REGION" | "config file" | "default";

/**
 * The region (docs/spec/deploy.md#region, #diff-region): the setting, then the environment (AWS_REGION as the
 * SDK reads it, AWS_DEFAULT_REGION as the AWS CLI does), then the profile in ~/.aws/config, then us-east-1.
 */
export async function resolveRegion(
  setting: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<{ region: string; source: RegionSource }> {
  if (setting) return { region: setting, source: "setting" };
  if (env.AWS_REGION) return { region: env.AWS_REGION, source: "AWS_REGION" };
  if (env.AWS_DEFAULT_REGION) return { region: env.AWS_DEFAULT_REGION, source: "AWS_DEFAULT_REGION" };
  const files = await loadSharedConfigFiles({
    filepath: env.AWS_SHARED_CREDENTIALS_FILE,
    configFilepath: env.AWS_CONFIG_FILE,
  }).catch(() => ({ configFile: {} as Record<string, Record<string, string | undefined>> }));
  const profile = env.AWS_PROFILE ?? "default";
  const fromFile = files.configFile[profile]?.region;
  if (fromFile) return { region: fromFile, source: "config file" };
  return { region: "us-east-1", source: "default" };
}

export function createAwsClients(settings: AwsSettings): AwsClients {
  const common = {
    region: settings.region,
    // Adaptive retry: client-side rate limiting on throttling errors, on top of standard retries.
    retryMode: "adaptive",
    maxAttempts: settings.maxAttempts ?? 8,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  };
  const made: { destroy(): void }[] = [];
  const lazy = <T extends { destroy(): void }>(make: () => T): (() => T) => {
    let client: T | undefined;
    return () => {
      if (!client) {
        client = make();
        made.push(client);
      }
      return client;
    };
  };
  const ec2 = lazy(() => new EC2Client(common));
  const autoscaling = lazy(() => new AutoScalingClient(common));
  const elb = lazy(() => new ElasticLoadBalancingClient(common));
  const elbv2 = lazy(() => new ElasticLoadBalancingV2Client(common));
  // Path-style addressing only when an explicit endpoint is given (the local region on loopback). A
  // bucket in another region than the client's (user_data, a release pointer) is followed there.
  const s3 = lazy(
    () =>
      new S3Client({ ...common, forcePathStyle: Boolean(settings.endpoint), followRegionRedirects: true }),
  );
  const ecr = lazy(() => new ECRClient(common));
  return {
    settings,
    get ec2() {
      return ec2();
    },
    get autoscaling() {
      return autoscaling();
    },
    get elb() {
      return elb();
    },
    get elbv2() {
      return elbv2();
    },
    get s3() {
      return s3();
    },
    get ecr() {
      return ecr();
    },
    destroy() {
      for (const c of made.splice(0)) c.destroy();
    },
  };
}
