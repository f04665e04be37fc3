// Lists every key a configuration schema accepts, with its default, so the configuration reference
// can be checked against the schemas it documents (docs/configuration.md). Paths use "*" for any
// mapping key and "[]" for list items: `lb.*.target_group`, `gateways.*.exposes[].port`.
import type { z } from "zod";

export interface SchemaKey {
  path: string;
  /** The default applied when the key is absent (object defaults that only fill nested keys are omitted). */
  default?: unknown;
  hasDefault: boolean;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  defaultValue?: unknown;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

export function schemaKeys(schema: z.ZodType, prefix = ""): SchemaKey[] {
  const seen = new Map<string, SchemaKey>();
  walk(schema, prefix, seen);
  return [...seen.values()];
}

function walk(schema: z.ZodType, path: string, seen: Map<string, SchemaKey>): void {
  const def = defOf(schema);
  switch (def.type) {
    case "object":
      for (const [key, value] of Object.entries(def.shape ?? {})) {
        const child = path === "" ? key : `${path}.${key}`;
        if (!seen.has(child)) seen.set(child, { path: child, ...defaultOf(value) });
        walk(value, child, seen);
      }
      return;
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
    case "nonoptional":
      return walk(def.innerType!, path, seen);
    case "pipe":
      return walk(def.in!, path, seen);
    case "array":
      return walk(def.element!, `${path}[]`, seen);
    case "record":
      return walk(def.valueType!, `${path}.*`, seen);
    case "union":
      for (const option of def.options ?? []) walk(option, path, seen);
      return;
    default:
      return;
  }
}

function defaultOf(schema: z.ZodType): { default?: unknown; hasDefault: boolean } {
  for (let def = defOf(schema); ; def = defOf(def.innerType!)) {
    if (def.type === "default") return { default: def.defaultValue, hasDefault: true };
    if (def.type === "prefault") return { hasDefault: false };
    if (!["optional", "nullable", "readonly", "catch"].includes(def.type)) return { hasDefault: false };
  }
}
