// Runs a zod schema with the product's message style and turns zod's issues into RawIssues:
// one per unknown key (at the key, with a suggestion), missing keys at the enclosing mapping,
// wrong values at the value, and unions reduced to the one alternative the value was meant to be.
import type { z } from "zod";
import { closest } from "./did-you-mean.js";
import { describeType, describeValue, listOf } from "./describe.js";
import type { RawIssue } from "./issues.js";
import { hasKey, type Path } from "./path.js";

const expectedNames: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  object: "a mapping",
  record: "a mapping",
  array: "a list",
  null: "null",
};

function expectedName(expected: string | undefined): string {
  return expectedNames[expected ?? ""] ?? String(expected);
}

/** The one error map: "what was expected, what was found". Schema-level messages take precedence. */
export const errorMap: z.core.$ZodErrorMap = (iss) => {
  const input = iss.input;
  switch (iss.code) {
    case "invalid_type": {
      const expected = expectedName(iss.expected);
      if (input === undefined) return `missing, expected ${expected}`;
      const got = iss.expected === "int" && typeof input === "number" ? String(input) : describeType(input);
      return `expected ${expected}, got ${got}`;
    }
    case "invalid_value": {
      const values = iss.values;
      const got = describeValue(input);
      if (input === undefined) {
        return `missing, expected ${values.length === 1 ? JSON.stringify(values[0]) : `one of ${listOf(values)}`}`;
      }
      if (values.length === 1) return `expected ${JSON.stringify(values[0])}, got ${got}`;
      const suggestion =
        typeof input === "string"
          ? closest(
              input,
              values.filter((v) => typeof v === "string"),
            )
          : undefined;
      const hint = suggestion === undefined ? "" : `; did you mean ${JSON.stringify(suggestion)}?`;
      return `expected one of ${listOf(values)}, got ${got}${hint}`;
    }
    case "too_small":
    case "too_big":
      return sizeMessage(
        iss.code,
        iss.origin,
        Number(iss.code === "too_small" ? iss.minimum : iss.maximum),
        input,
      );
    case "invalid_format":
      return `expected a string matching ${String(iss.pattern ?? iss.format)}, got ${describeValue(input)}`;
    case "unrecognized_keys": {
      const def = iss.inst?._zod.def as { shape?: Record<string, unknown> } | undefined;
      const known = Object.keys(def?.shape ?? {});
      return iss.keys.map((key) => unknownKeyMessage(key, known)).join("\n");
    }
    case "invalid_union":
      return `expected one of its accepted forms, got ${describeType(input)}`;
    default:
      return undefined;
  }
};

export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const suggestion = closest(key, known);
  if (suggestion !== undefined) return `unknown key; did you mean ${JSON.stringify(suggestion)}?`;
  return known.length > 0 ? `unknown key; expected one of ${listOf(known)}` : "unknown key";
}

function sizeMessage(code: "too_small" | "too_big", origin: string, limit: number, input: unknown): string {
  const small = code === "too_small";
  if (origin === "string") {
    if (small && limit === 1) return `expected a non-empty string, got ""`;
    const length = typeof input === "string" ? input.length : 0;
    return `expected ${small ? "at least" : "at most"} ${limit} characters, got ${length}`;
  }
  if (origin === "array") {
    if (small && limit === 1) return "expected at least one item, got an empty list";
    const count = Array.isArray(input) ? input.length : 0;
    return `expected ${small ? "at least" : "at most"} ${limit} items, got ${count}`;
  }
  return `expected ${small ? "at least" : "at most"} ${limit}, got ${describeValue(input)}`;
}

export interface Parsed<T> {
  value?: T;
  issues: RawIssue[];
}

/** Parses `data` (found at `base` in the whole configuration) and returns every issue. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  data: unknown,
  base: Path = [],
): Parsed<z.output<S>> {
  const result = schema.safeParse(data, { error: errorMap });
  if (result.success) return { value: result.data, issues: [] };
  return { issues: flatten(result.error.issues, [], data, base) };
}

function flatten(issues: readonly z.core.$ZodIssue[], prefix: Path, data: unknown, base: Path): RawIssue[] {
  const out: RawIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path as Path)];
    if (issue.code === "unrecognized_keys") {
      const messages = issue.message.split("\n");
      issue.keys.forEach((key, i) =>
        out.push({ path: [...base, ...path, key], at: "key", message: messages[i] ?? "unknown key" }),
      );
    } else if (issue.code === "invalid_union") {
      const meant = issue.errors.filter((option) => !option.some(isShallow));
      if (meant.length === 1) out.push(...flatten(meant[0]!, path, data, base));
      else out.push({ path: [...base, ...path], at: "value", message: issue.message });
    } else if (issue.code === "invalid_type" && path.length > 0 && !hasKey(data, path)) {
      out.push({ path: [...base, ...path], at: "parent", message: issue.message });
    } else {
      out.push({ path: [...base, ...path], at: "value", message: issue.message });
    }
  }
  return out;
}

// An alternative the value plainly is not (wrong type at the union's own level).
function isShallow(issue: z.core.$ZodIssue): boolean {
  return issue.path.length === 0 && (issue.code === "invalid_type" || issue.code === "invalid_value");
}
