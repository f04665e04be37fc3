import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseJsonAs } from "#shared/json.js";

const schema = z.object({ id: z.string(), n: z.number().int() });

describe("parseJsonAs", () => {
  it.each([
    ["a document of the shape", '{"id":"a","n":1}', { id: "a", n: 1 }],
    ["torn JSON", '{"id":"a","n":', undefined],
    ["empty text", "", undefined],
    ["JSON of another shape", '{"id":"a","n":"1"}', undefined],
    ["a JSON array", "[]", undefined],
    ["JSON null", "null", undefined],
  ])("%s", (_what, text, expected) => {
    expect(parseJsonAs(schema, text)).toEqual(expected);
  });
});
