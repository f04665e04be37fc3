// The application model in the Skopos model format: components (image, replicas, ...) and gateways
// (how a component is bound to a load balancer). `${var}` references are filled from the
// environment's vars first; image references must follow the Docker reference grammar, so nothing
// but an image reference can reach user_data.
import { z } from "zod";
import type { ConfigIssue } from "../errors.js";
import { parseImageRef } from "../image-ref/parse.js";
import { describeValue } from "./describe.js";
import { hasErrors, locateIssues, sortIssues } from "./issues.js";
import type { Source } from "./load.js";
import { sourceLocator, type Locator } from "./locate.js";
import { modelRules } from "./model-rules.js";
import { formatPath } from "./path.js";
import { integer, mapping, matching, nonEmpty, oneOf, port } from "./schema-kit.js";
import { substituteInSource } from "./vars.js";
import { parseWith } from "./zod-issues.js";

export const modelDoctype = "com.datagridsys.doctype/skopos/model";

export const imageRefSchema = z.string().superRefine((value, ctx) => {
  const result = parseImageRef(value);
  if (!result.ok) {
    ctx.addIssue({
      code: "custom",
      message: `expected a Docker image reference, got ${describeValue(value)}: ${result.problem}`,
    });
  }
});

const portSpec = oneOf(
  [port(), matching(/^\d{1,5}(?:\/(?:tcp|udp))?$/, 'a port like "80" or "53/udp"')],
  'a port number or a string like "80/tcp"',
);

const componentSchema = z.strictObject({
  image: imageRefSchema.describe(
    "Required. Docker image reference; ${var} references are filled from the environment's vars.",
  ),
  replicas: integer(0).default(1).describe("Number of instances."),
  singleton: z.boolean().default(false).describe("At most one instance."),
  provides: z.strictObject({ ports: z.array(portSpec).default([]) }).optional(),
  uses: mapping(z.unknown()).optional(),
  visual: z.looseObject({ x: z.number().optional(), y: z.number().optional() }).optional(),
  env: oneOf(
    [mapping(z.unknown()), z.array(z.string())],
    "a mapping of names to values or a list of NAME=value",
  ).optional(),
  volumes: z.array(z.unknown()).optional(),
  labels: oneOf([mapping(z.unknown()), z.array(z.string())], "a mapping or a list of labels").optional(),
  args: oneOf([z.array(z.string()), z.string()], "a list of arguments or one string").optional(),
  plugin: oneOf([nonEmpty(), mapping(z.unknown())], "a plugin name or plugin settings").optional(),
  lifecycle: mapping(z.unknown()).optional(),
  class: z.string().optional(),
  pos_x: z.number().optional(),
  pos_y: z.number().optional(),
  version: oneOf([z.string(), z.number()], "a version string").optional().describe("Required: 1."),
});

const exposeSchema = z.strictObject({
  name: nonEmpty().optional(),
  port: portSpec,
  target_port: portSpec.optional(),
});

const gatewaySchema = z.strictObject({
  type: z.enum(["load_balancer", "host_port"]).describe("load_balancer or host_port."),
  target: oneOf([z.array(nonEmpty()).min(1), nonEmpty()], "a component name or a list of them").describe(
    "The component (or components) the gateway sends traffic to.",
  ),
  exposes: oneOf([z.array(exposeSchema).min(1), exposeSchema], "a port mapping or a list of them").optional(),
});

export const modelSchema = z.strictObject({
  doctype: z.literal(modelDoctype).describe("Required: com.datagridsys.doctype/skopos/model."),
  version: z.literal(1),
  components: mapping(componentSchema).describe("The components, by name."),
  gateways: mapping(gatewaySchema)
    .default({})
    .describe("How components are bound to load balancers, by gateway name (the environment's lb key)."),
});

export type Model = z.output<typeof modelSchema>;
export type ModelComponent = Model["components"][string];
export type Gateway = Model["gateways"][string];

export interface LoadedModel {
  model: Model;
  locate: Locator;
}

export function loadModel(
  source: Source,
  vars: Readonly<Record<string, string>> = {},
): { model?: LoadedModel; issues: ConfigIssue[] } {
  const substituted = substituteInSource(source, vars);
  const locate = sourceLocator(source);
  const parsed = parseWith(modelSchema, substituted.data);
  const failed = new Set(substituted.failed.map(formatPath));
  const raw = [...parsed.issues, ...modelRules(substituted.data)].filter(
    (i) => !failed.has(formatPath(i.path)),
  );
  const issues = sortIssues([...substituted.issues, ...locateIssues(raw, locate)], [source.file]);
  if (hasErrors(issues) || !parsed.value) return { issues };
  return { model: { model: parsed.value, locate }, issues };
}

/** A gateway's target components as a list. */
export function gatewayTargets(gateway: Gateway): string[] {
  return typeof gateway.target === "string" ? [gateway.target] : gateway.target;
}
