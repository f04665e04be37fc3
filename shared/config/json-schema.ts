// JSON Schemas of the four configuration files, built from their zod schemas, for editors running the
// YAML language server (`# yaml-language-server: $schema=...`). They describe what an operator
// writes (zod's input side: defaults are optional, durations may be "15m"), in draft-07, the newest
// draft that language server supports. Checks that span several keys, and those written as code
// (image references, naming templates, regular expressions), stay with `asg-release validate`.
import { z } from "zod";
import { agentConfigSchema } from "./agent.js";
import { ec2AsgSchema } from "./ec2-asg-schema.js";
import { envelopeKeys, envelopeSchema, pluginName } from "./environment.js";
import { modelSchema } from "./model.js";
import type { ConfigSchemaName } from "./json-schema-names.js";
import { serverSchema } from "./server.js";

export type JsonSchema = Record<string, unknown>;

interface FileSchema {
  title: string;
  description: string;
  build: () => JsonSchema;
}

const files: Record<ConfigSchemaName, FileSchema> = {
  server: {
    title: "asg-release release server configuration (server.yaml)",
    description:
      "/etc/asg-release/server.yaml, read by asg-release-server. Reference: docs/configuration.md.",
    build: () => fromZod(serverSchema),
  },
  agent: {
    title: "asg-release boot agent configuration (agent.yaml)",
    description:
      "/etc/asg-release/agent.yaml, read by asg-release-agent on every boot. Reference: docs/configuration.md.",
    build: () => fromZod(agentConfigSchema),
  },
  model: {
    title: "asg-release application model",
    description:
      "The application model in the Skopos model format, given to `asg-release validate --model` and the deploy path. " +
      "Values may hold ${var} references, filled from the environment's vars. Reference: docs/configuration.md.",
    build: () => allowVarRefs(fromZod(modelSchema)),
  },
  environment: {
    title: "asg-release target environment",
    description:
      "A target environment file, given to `asg-release validate --env` and the deploy path: a Skopos environment " +
      `(${envelopeKeys.join(", ")} at the top level) or a bare ${pluginName} record. Reference: docs/configuration.md.`,
    build: environmentSchema,
  },
};

export function configJsonSchema(name: ConfigSchemaName): JsonSchema {
  const { title, description, build } = files[name];
  const { $schema, ...body } = build();
  return { $schema, $id: `urn:asg-release:schema:${name}`, title, description, ...body };
}

/** The schema as written to schemas/ and printed by `asg-release schema`. */
export function configJsonSchemaText(name: ConfigSchemaName): string {
  return `${JSON.stringify(configJsonSchema(name), null, 2)}\n`;
}

function fromZod(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: "draft-07",
    io: "input",
    // Every type the four schemas use has a JSON Schema form; a new one must be given one on purpose.
    unrepresentable: "throw",
    override: ({ zodSchema, jsonSchema }) => {
      // zod leaves out a default it applies after a transform (`bake_time: 0`); ours are valid
      // inputs too, and editors offer them.
      const def = zodSchema._zod.def;
      if (def.type === "default" && jsonSchema.default === undefined) {
        jsonSchema.default = (def as unknown as { defaultValue: unknown }).defaultValue;
      }
    },
  }) as JsonSchema;
  return withoutSafeIntegerBounds(json);
}

// `z.number().int()` carries JavaScript's safe-integer range, which only clutters an editor's hover.
function withoutSafeIntegerBounds(json: JsonSchema): JsonSchema {
  return mapNodes(json, (node) => {
    const out = { ...node };
    if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
    if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum;
    return out;
  });
}

/** A `${var}` reference, which any scalar of the model may be before substitution. */
const varRef = { type: "string", pattern: "\\$\\{[^}]*\\}" };

// The model is validated after `${var}` substitution, so in the file a number, a boolean or a string
// of a fixed form may be written as a reference (`replicas: ${REPLICAS}`).
function allowVarRefs(json: JsonSchema): JsonSchema {
  return mapNodes(json, (node) => {
    const typed = ["integer", "number", "boolean"].includes(node.type as string);
    const shaped = node.type === "string" && ("pattern" in node || "enum" in node);
    if (!typed && !shaped) return node;
    const { description, default: dflt, ...rest } = node;
    return {
      ...(description === undefined ? {} : { description }),
      ...(dflt === undefined ? {} : { default: dflt }),
      anyOf: [rest, varRef],
    };
  });
}

// Either form of an environment file, told apart as the loader does: by the envelope's keys.
function environmentSchema(): JsonSchema {
  const envelope = envelopeSchema.extend({
    plugin_config: z
      .looseObject({
        [pluginName]: ec2AsgSchema
          .nullable()
          .optional()
          .describe("The ec2-asg record. Absent: limited-permissions mode over pre-created groups."),
      })
      .optional()
      .describe(`Records of the plugins; asg-release reads ${pluginName}, and leaves the others alone.`),
  });
  const { $schema, ...thenBranch } = fromZod(envelope);
  const { $schema: _, ...elseBranch } = fromZod(ec2AsgSchema);
  return {
    $schema,
    type: "object",
    if: { anyOf: envelopeKeys.map((key) => ({ required: [key] })) },
    then: thenBranch,
    else: elseBranch,
  };
}

/** Rebuilds a JSON Schema bottom-up, applying `fn` to every subschema (and the root). */
function mapNodes(json: JsonSchema, fn: (node: JsonSchema) => JsonSchema): JsonSchema {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== "object") return value;
    const entries = Object.entries(value as JsonSchema).map(([key, child]) => [key, visitChild(key, child)]);
    return fn(Object.fromEntries(entries) as JsonSchema);
  };
  const visitChild = (key: string, child: unknown): unknown => {
    // Data (defaults, enums, consts, required names), not subschemas.
    if (["default", "enum", "const", "examples", "required"].includes(key)) return child;
    // Maps of names to subschemas.
    if (key === "properties" || key === "definitions") {
      return Object.fromEntries(Object.entries(child as JsonSchema).map(([name, s]) => [name, visit(s)]));
    }
    return visit(child);
  };
  return visit(json) as JsonSchema;
}
