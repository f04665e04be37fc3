// The key pairs launch_config.key names (docs/spec/deploy.md#launch-config-key: a key pair registered in
// AWS): one DescribeKeyPairs filtered by name, so a missing key is an
// empty answer rather than an error, and the plan can refuse it before anything is created.
import { DescribeKeyPairsCommand } from "@aws-sdk/client-ec2";
import { awsCode, awsSend } from "#shared/aws/call.js";
import type { AwsClients } from "#shared/aws/clients.js";
import { componentSettings } from "#shared/config/component-settings.js";
import type { Ec2AsgConfig } from "#shared/config/ec2-asg-schema.js";

/** Codes EC2 answers when the caller may not describe key pairs. */
const denied = /^(UnauthorizedOperation|AccessDenied)/;

/** The key names the components would launch with. */
export function configuredKeys(config: Ec2AsgConfig, components: string[]): string[] {
  const keys = components.flatMap((c) => {
    const key = componentSettings(config, c).launch_config.key;
    return key === undefined ? [] : [key];
  });
  return [...new Set(keys)].sort();
}

/**
 * The registered ones among `names`; undefined when none are asked for, or when the caller is not
 * allowed to describe key pairs (a policy written before this check): then the key is not checked.
 */
export async function observeKeyPairs(aws: AwsClients, names: string[]): Promise<string[] | undefined> {
  if (names.length === 0) return undefined;
  try {
    const out = await awsSend(
      aws.ec2,
      new DescribeKeyPairsCommand({ Filters: [{ Name: "key-name", Values: names }] }),
      { keys: names.join(",") },
    );
    return (out.KeyPairs ?? []).flatMap((k) => (k.KeyName ? [k.KeyName] : []));
  } catch (err) {
    if (denied.test(awsCode(err))) return undefined;
    throw err;
  }
}
