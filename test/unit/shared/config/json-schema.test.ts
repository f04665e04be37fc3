// schemas/*.schema.json are what `npm run schemas` writes from the zod schemas today, and each is a
// valid draft-07 JSON Schema.
import { readdirSync, readFileSync } from "node:fs";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { configJsonSchema, configJsonSchemaText } from "#shared/config/json-schema.js";
import { configSchemaNames, schemaFileName } from "#shared/config/json-schema-names.js";

const dir = new URL("../../../../schemas/", import.meta.url);

describe("schemas/", () => {
  it.each(configSchemaNames)("%s.schema.json is up to date", (name) => {
    const committed = readFileSync(new URL(schemaFileName(name), dir), "utf8");
    expect(
      committed === configJsonSchemaText(name),
      `schemas/${schemaFileName(name)} differs from the zod schema: run \`npm run schemas\` and commit the result`,
    ).toBe(true);
  });

  it("holds the four schemas and nothing else", () => {
    expect(readdirSync(dir).sort()).toEqual(configSchemaNames.map(schemaFileName).sort());
  });

  it.each(configSchemaNames)("%s is a valid draft-07 schema with an id and a title", (name) => {
    const schema = configJsonSchema(name);
    const ajv = new Ajv();
    expect(ajv.validateSchema(schema), ajv.errorsText()).toBe(true);
    expect(schema).toMatchObject({
      $schema: "http://json-schema.org/draft-07/schema#",
      $id: `urn:asg-release:schema:${name}`,
      title: expect.any(String),
      type: "object",
    });
  });
});
