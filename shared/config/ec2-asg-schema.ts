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
  launch_config: launchConfigSchema
    .optional()
    .describe("Merged over the global launch_config key by key; the component's keys win."),
  tags: tagsSchema.optional().describe("Merged over the global tags; the component's keys win."),
  subnets: subnetsSchema.optional().describe("Replaces the global subnets for this component."),
});

const delegatedDestroySchema = z.strictObject({
  uri: z.string().optional(),
  components: z
    .array(nonEmpty())
    .default([])
    .describe("Per-component settings, by the model's component name."),
  user_data: z.unknown().optional(),
});

export const lifecycleHookSchema = z.strictObject({
  enabled: z
    .boolean()
    .default(true)
    .describe("Hold new instances in Pending:Wait until the boot agent reports them ready."),
  name: matching(/^[A-Za-z0-9\-_/]{1,255}$/, "a hook name of letters, digits, -, _ and /").default(
    "asg-release-launch",
  ),
  heartbeat_timeout: integer(30, 7200)
    .default(600)
    .describe("Seconds an instance may stay held before default_result applies."),
  default_result: z
    .enum(["CONTINUE", "ABANDON"])
    .default("CONTINUE")
    .describe("What happens at the timeout: CONTINUE lets the instance join, ABANDON replaces it."),
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
  min_healthy_percent: integer(0, 100)
    .default(100)
    .describe("Share of each batch that must be healthy before the next batch."),
  bake_time: seconds()
    .default(0)
    .describe(
      'After each batch is healthy, watch it this long before the next batch (seconds, or "90s", "15m", "2h", "1d").',
    ),
  keep_old_slot: seconds().default(0),
});

export const ec2AsgSchema = z.strictObject({
  region: matching(/^[a-z]{2,}(?:-[a-z0-9]+)*-\d+$/, 'an AWS region like "us-east-1"')
    .optional()
    .describe("AWS region, e.g. us-east-1; absent: the standard AWS settings, then us-east-1."),
  vpc: nonEmpty()
    .optional()
    .describe(
      "Name or id of the VPC of the instances. Required unless home_vpc is true, outside limited-permissions mode.",
    ),
  home_vpc: z.boolean().default(false).describe("Use the VPC of the host running asg-release."),
  subnets: subnetsSchema
    .default("*")
    .describe(
      "Subnet names or ids in `vpc` (at most one per availability zone), or a wildcard pattern string.",
    ),
  naming_template: namingTemplateSchema
    .default(defaultNamingTemplate)
    .describe("Names of Auto Scaling groups and launch templates/configurations."),
  launch_config: launchConfigSchema
    .optional()
    .describe("How instances are launched. Required outside limited-permissions mode."),
  tags: tagsSchema.default({}).describe("Extra tags on every group."),
  components: mapping(componentSettingsSchema).default({}),
  image_id_subst: imageIdSubstSchema
    .optional()
    .describe(
      "A Python regular expression; every match in the user_data text is replaced with the component's image.",
    ),
  image_id_path: imageIdPathSchema
    .optional()
    .describe("key1.key2...: the user_data is YAML and this key is set to the component's image."),
  image_check_type: z
    .enum(["docker", "none"])
    .default("docker")
    .describe("docker: registry digests are recorded and compared; none: image ids are compared as text."),
  lb: mapping(lbBindingSchema).default({}).describe("Load balancer bindings by the model's gateway name."),
  join_timeout: integer(1)
    .default(360)
    .describe("Seconds to wait for a new instance to become healthy in its load balancers."),
  inst_running_timeout: integer(1).default(50).describe("Seconds to wait for a new instance to be running."),
  delegated_destroy: delegatedDestroySchema
    .optional()
    .describe("Hand instances to an external API instead of terminating them."),
  lifecycle_hook: lifecycleHookSchema
    .prefault({})
    .describe("The launch lifecycle hook that holds new instances until the boot agent reports them ready."),
  tag_prefix: matching(/^(?!aws:)[^\s]{1,64}$/i, 'a tag key prefix like "skopos:" (not "aws:")').default(
    "skopos:",
  ),
  rollout: rolloutSchema.prefault({}).describe("Pace of an upgrade."),
});

export type Ec2AsgConfig = z.output<typeof ec2AsgSchema>;
export type ComponentSettings = z.output<typeof componentSettingsSchema>;

/** The keys of the record, to recognise one that was put at the top level of an envelope by mistake. */
export const ec2AsgKeys: readonly string[] = Object.keys(ec2AsgSchema.shape);
