// Reading a JSON document that must have a given shape, where "missing, torn or foreign" is an
// answer rather than an error (manifests, pointers, the publish journal).
import type { z } from "zod";

/** The document `text` holds if it is JSON of the schema's shape; undefined otherwise. */
export function parseJsonAs<T extends z.ZodType>(schema: T, text: string): z.infer<T> | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}
