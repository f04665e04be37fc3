// `launch_config` (docs/spec/deploy.md#launch-config; global, and per component), plus `kind`: launch
// templates are the default because new AWS accounts can no longer create launch configurations
// (docs/spec/deploy.md#diff-launch-templates).
import { z } from "zod";
import { matching, nonEmpty, oneOf, s3Location } from "./schema-kit.js";

export const userDataSchema = oneOf(
  [z.string(), z.strictObject({ s3: s3Location() })],
  'user_data text or {s3: "bucket/key"}',
);

export const launchConfigKinds = ["template", "configuration"] as const;
export type LaunchConfigKind = (typeof launchConfigKinds)[number];

export const launchConfigSchema = z.strictObject({
  kind: z
    .enum(launchConfigKinds)
    .optional()
    .describe("Create EC2 launch templates (the default) or Auto Scaling launch configurations."),
  template: nonEmpty()
    .optional()
    .describe(
      "An existing launch template or configuration whose settings are the defaults; without it, ami and type are required.",
    ),
  ami: matching(/^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, 'an AMI id like "ami-0123456789abcdef0"')
    .optional()
    .describe("AMI id: ami- and 8 or 17 hex digits."),
  sg: z.array(nonEmpty()).optional().describe("Names or ids of security groups."),
  type: matching(/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/, 'an instance type like "t3.micro"')
    .optional()
    .describe("Instance type, e.g. t3.micro."),
  profile: nonEmpty().optional().describe("Instance profile."),
  user_data: userDataSchema
    .optional()
    .describe('The user data text, or {s3: "bucket/key"}: an S3 object holding it.'),
  ebs_optimized: z.boolean().optional().describe("Launch EBS-optimized instances (false when absent)."),
  public_ip: z
    .boolean()
    .optional()
    .describe("Give instances a public IP address; absent: the subnet's default."),
  key: nonEmpty().optional().describe("Name of a registered EC2 key pair; absent: no key pair."),
});

export type LaunchConfig = z.output<typeof launchConfigSchema>;

/** A component's launch settings: global ones overlaid with the component's own (docs/spec/deploy.md#components). */
export interface EffectiveLaunchConfig extends LaunchConfig {
  kind: LaunchConfigKind;
  ebs_optimized: boolean;
}

export function mergeLaunchConfig(
  global: LaunchConfig | undefined,
  own: LaunchConfig | undefined,
): EffectiveLaunchConfig {
  const merged = { ...global, ...own };
  return { ...merged, kind: merged.kind ?? "template", ebs_optimized: merged.ebs_optimized ?? false };
}
