// ARNs the product builds itself: an instance's own ARN, which its release volume is tagged with so
// the instance role's policy can compare it with ${ec2:SourceInstanceARN}.
import type { Identity } from "./imds.js";

/** The AWS partition of a region ("aws-cn" for cn-*, "aws-us-gov" for us-gov-*, "aws" otherwise). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** arn:aws:ec2:REGION:ACCOUNT:instance/ID, as EC2 sets ec2:SourceInstanceARN for the instance's role. */
export function instanceArn(identity: Pick<Identity, "instanceId" | "region" | "accountId">): string {
  return `arn:${partitionOf(identity.region)}:ec2:${identity.region}:${identity.accountId}:instance/${identity.instanceId}`;
}
