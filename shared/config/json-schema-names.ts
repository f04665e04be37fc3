// The names of the configuration files' JSON Schemas, apart from their construction so that the CLI
// can list and check names without loading the schemas.

export const configSchemaNames = ["server", "agent", "model", "environment"] as const;
export type ConfigSchemaName = (typeof configSchemaNames)[number];

/** What each schema describes, for `asg-release schema` with no name. */
export const configSchemaFiles: Record<ConfigSchemaName, string> = {
  server: "the release server's configuration, /etc/asg-release/server.yaml",
  agent: "the boot agent's configuration, /etc/asg-release/agent.yaml",
  model: "an application model (validate --model)",
  environment: "a target environment file (validate --env)",
};

export function isConfigSchemaName(name: string): name is ConfigSchemaName {
  return (configSchemaNames as readonly string[]).includes(name);
}

/** The file name under schemas/ (and the one the docs suggest saving a printed schema as). */
export const schemaFileName = (name: ConfigSchemaName) => `${name}.schema.json`;
