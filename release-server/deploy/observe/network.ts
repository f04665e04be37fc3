// The VPC (by Name tag or id, or the host's with home_vpc), its subnets and security groups: three
// describes whatever the fleet size. A home_vpc mismatch fails here, before any other state is read.
import {
  DescribeVpcsCommand,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
} from "@aws-sdk/client-ec2";
import { awsCall, awsSend } from "#shared/aws/call.js";
import type { AwsClients } from "#shared/aws/clients.js";
import { tagMap } from "#shared/aws/tags.js";
import type { Ec2AsgConfig } from "#shared/config/ec2-asg-schema.js";
import { AsgReleaseError, ConfigError } from "#shared/errors.js";
import type { HostVpcReader } from "./home-vpc.js";
import type { ObservedNetwork, ObservedSubnet } from "./observed.js";

export async function observeNetwork(
  aws: AwsClients,
  config: Ec2AsgConfig,
  hostVpc: HostVpcReader,
): Promise<ObservedNetwork> {
  const home = config.home_vpc ? await hostVpc() : undefined;
  const vpcId = config.vpc === undefined ? home : await findVpc(aws, config.vpc);
  if (vpcId === undefined) throw new ConfigError([], "vpc: not set, and home_vpc is off");
  if (home !== undefined && home !== vpcId) {
    // docs/spec/deploy.md#home-vpc: a mismatch fails everything, the state load included.
    throw new AsgReleaseError(
      `home_vpc: this host is in ${home}, but vpc ${JSON.stringify(config.vpc)} is ${vpcId}; run asg-release from a host in ${vpcId} or fix vpc`,
      {
        code: "HomeVpcMismatch",
        exitCode: 2,
      },
    );
  }
  const filter = [{ Name: "vpc-id", Values: [vpcId] }];
  const subnets: ObservedSubnet[] = [];
  await awsCall("DescribeSubnets", { vpc: vpcId }, async () => {
    for await (const page of paginateDescribeSubnets({ client: aws.ec2 }, { Filters: filter })) {
      for (const s of page.Subnets ?? []) {
        subnets.push({
          id: s.SubnetId ?? "",
          name: tagMap(s.Tags)["Name"],
          availabilityZone: s.AvailabilityZone ?? "",
          vpcId: s.VpcId ?? vpcId,
        });
      }
    }
  });
  const securityGroups: { id: string; name: string }[] = [];
  await awsCall("DescribeSecurityGroups", { vpc: vpcId }, async () => {
    for await (const page of paginateDescribeSecurityGroups({ client: aws.ec2 }, { Filters: filter })) {
      for (const g of page.SecurityGroups ?? [])
        securityGroups.push({ id: g.GroupId ?? "", name: g.GroupName ?? "" });
    }
  });
  return { vpcId, subnets, securityGroups };
}

/** docs/spec/deploy.md#vpc: a name or an id. */
async function findVpc(aws: AwsClients, vpc: string): Promise<string> {
  const byId = /^vpc-[0-9a-f]+$/.test(vpc);
  const out = await awsSend(
    aws.ec2,
    new DescribeVpcsCommand({ Filters: [{ Name: byId ? "vpc-id" : "tag:Name", Values: [vpc] }] }),
    { vpc },
  );
  const found = out.Vpcs ?? [];
  if (found.length === 1) return found[0]!.VpcId ?? "";
  throw new ConfigError(
    [],
    found.length === 0
      ? `vpc: no VPC ${byId ? "with id" : "named"} ${JSON.stringify(vpc)} in this region`
      : `vpc: ${found.length} VPCs are named ${JSON.stringify(vpc)} (${found.map((v) => v.VpcId).join(", ")}); use the id`,
  );
}
