// The ec2-asg plugin record (docs/spec/deploy.md#settings), every setting with its type and default, plus the
// settings the deploy path adds (lifecycle_hook, tag_prefix, rollout), whose defaults keep the plugin's
// behaviour (docs/spec/deploy.md#differences). Rules that span several keys are in ec2-asg-rules.ts.
import { z } from "zod";
import { defaultNamingTemplate, parseNamingTemplate } from "../naming/template.js";
import { compilePythonRegex } from "../userdata/python-regex.js";
import { imagePathProblem } from "../userdata/image-path.js";
import { launchConfigSchema } from "./launch-config.js";
import { integer, mapping, matching, nonEmpty, oneOf, port } from "./schema-kit.js";

const subnetsSchema = oneOf(
  [z.array(nonEmpty()).min(1), nonEmpty()],
  'a list of subnet names or ids, or a wildcard pattern string like "*"',
);

export const tagsSchema = mapping(z.string().max(256));

const namingTemplateSchema = nonEmpty().superRefine((value, ctx) => {
  const result = parseNamingTemplate(value);
  if (!result.ok) for (const message of result.problems) ctx.addIssue({ code: "custom", message });
});

const imageIdSubstSchema = nonEmpty().superRefine((value, ctx) => {
  const result = compilePythonRegex(value);
  if (!result.ok) for (const message of result.problems) ctx.addIssue({ code: "custom", message });
});

const imageIdPathSchema = nonEmpty().superRefine((value, ctx) => {
  const problem = imagePathProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const elbName = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;
const targetGroupRef =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?|arn:aws[a-z-]*:elasticloadbalancing:.+:targetgroup\/.+)$/;

export const lbBindingSchema = oneOf(
  [
    matching(elbName, "a classic load balancer name (1-32 letters, digits and hyphens)"),
    z.strictObject({
      target_group: matching(targetGroupRef, "a target group name or ARN"),
      port: port(),
    }),
    z.null(),
  ],
  "a classic load balancer name, {target_group, port} or null",
);

export type LbBinding = string | { target_group: string; port: number };

const componentSettingsSchema = z.strictObject({
  launch_config: launchConfigSchema.optional(),
  tags: tagsSchema.optional(),
  subnets: subnetsSchema.optional(),
});

const delegatedDestroySchema = z.strictObject({
  uri: z.string().optional(),
  components: z.array(nonEmpty()).default([]),
  user_data: z.unknown().optional(),
});

export const lifecycleHookSchema = z.strictObject({
  enabled: z.boolean().default(true),
  name: matching(/^[A-Za-z0-9\-_/]{1,255}$/, "a hook name of letters, digits, -, _ and /").default(
    "asg-release-launch",
  ),
  heartbeat_timeout: integer(30, 7200).default(600),
  default_result: z.enum(["CONTINUE", "ABANDON"]).default("CONTINUE"),
});

const durationUnits: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds as a number, or a duration like "90s", "15m", "2h", "1d"; the output is seconds. */
const durationText = 'a number of seconds or a duration like "15m", "2h", "1d"';
const batchText = 'a number of instances, a percentage like "25%", or "all"';

const seconds = () =>
  oneOf([integer(0), matching(/^\d+[smhd]$/, durationText)], durationText).transform((v) =>
    typeof v === "number" ? v : Number(v.slice(0, -1)) * durationUnits[v.slice(-1)]!,
  );

export const rolloutSchema = z.strictObject({
  batch_size: oneOf(
    [integer(1), z.literal("all"), matching(/^(?:100|[1-9]\d?)%$/, batchText)],
    batchText,
  ).default("all"),
  min_healthy_percent: integer(0, 100).default(100),
  bake_time: seconds().default(0),
  keep_old_slot: seconds().default(0),
});

export const ec2AsgSchema = z.strictObject({
  region: matching(/^[a-z]{2,}(?:-[a-z0-9]+)*-\d+$/, 'an AWS region like "us-east-1"').optional(),
  vpc: nonEmpty().optional(),
  home_vpc: z.boolean().default(false),
  subnets: subnetsSchema.default("*"),
  naming_template: namingTemplateSchema.default(defaultNamingTemplate),
  launch_config: launchConfigSchema.optional(),
  tags: tagsSchema.default({}),
  components: mapping(componentSettingsSchema).default({}),
  image_id_subst: imageIdSubstSchema.optional(),
  image_id_path: imageIdPathSchema.optional(),
  image_check_type: z.enum(["docker", "none"]).default("docker"),
  lb: mapping(lbBindingSchema).default({}),
  join_timeout: integer(1).default(360),
  inst_running_timeout: integer(1).default(50),
  delegated_destroy: delegatedDestroySchema.optional(),
  lifecycle_hook: lifecycleHookSchema.prefault({}),
  tag_prefix: matching(/^(?!aws:)[^\s]{1,64}$/i, 'a tag key prefix like "skopos:" (not "aws:")').default(
    "skopos:",
  ),
  rollout: rolloutSchema.prefault({}),
});

export type Ec2AsgConfig = z.output<typeof ec2AsgSchema>;
export type ComponentSettings = z.output<typeof componentSettingsSchema>;

/** The keys of the record, to recognise one that was put at the top level of an envelope by mistake. */
export const ec2AsgKeys: readonly string[] = Object.keys(ec2AsgSchema.shape);
