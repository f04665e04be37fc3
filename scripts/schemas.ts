// `npm run schemas`: writes the JSON Schemas of the four configuration files to schemas/, from the zod
// schemas they are validated with (shared/config/json-schema.ts). A unit test fails when a committed
// file differs from what this would write.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { configJsonSchemaText } from "#shared/config/json-schema.js";
import { configSchemaNames, schemaFileName } from "#shared/config/json-schema-names.js";

const dir = fileURLToPath(new URL("../schemas/", import.meta.url));

mkdirSync(dir, { recursive: true });
for (const name of configSchemaNames) {
  const file = join(dir, schemaFileName(name));
  writeFileSync(file, configJsonSchemaText(name));
  process.stdout.write(`schemas/${schemaFileName(name)}\n`);
}
