// `asg-release schema [NAME]`: prints the JSON Schema of a configuration file (server, agent, model,
// environment) for editors running the YAML language server; with no NAME, lists the names. The
// schemas are built from the zod schemas only when one is printed.
import { Argument, type Command } from "commander";
import {
  configSchemaFiles,
  configSchemaNames,
  type ConfigSchemaName,
} from "#shared/config/json-schema-names.js";

export function registerSchema(program: Command): void {
  program
    .command("schema")
    .description("print the JSON Schema of a configuration file, for editors; no name: list the names")
    // An unknown name is a usage error (exit 2) that lists the choices.
    .addArgument(new Argument("[name]", "schema to print").choices(configSchemaNames))
    .action(async (name: ConfigSchemaName | undefined) => {
      if (name === undefined) {
        const width = Math.max(...configSchemaNames.map((n) => n.length));
        for (const n of configSchemaNames)
          process.stdout.write(`${n.padEnd(width)}  ${configSchemaFiles[n]}\n`);
        return;
      }
      const { configJsonSchemaText } = await import("#shared/config/json-schema.js");
      process.stdout.write(configJsonSchemaText(name));
    });
}
