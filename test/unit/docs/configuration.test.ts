// docs/configuration.md stays true to the schemas: every key a schema accepts is documented in its
// section, every documented key exists, and every documented default is the one the code applies.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { agentConfigSchema } from "#shared/config/agent.js";
import { ec2AsgSchema } from "#shared/config/ec2-asg-schema.js";
import { envelopeSchema } from "#shared/config/environment.js";
import { mergeLaunchConfig } from "#shared/config/launch-config.js";
import { modelSchema } from "#shared/config/model.js";
import { schemaKeys, type SchemaKey } from "#shared/config/schema-keys.js";
import { serverSchema } from "#shared/config/server.js";

const doc = readFileSync(new URL("../../../docs/configuration.md", import.meta.url), "utf8");

interface Row {
  key: string;
  default: string;
}

/** Table rows of a "## title" section: first column a `key`, third column the default. */
function rows(title: string): Row[] {
  const start = doc.indexOf(`\n## ${title}\n`);
  if (start === -1) throw new Error(`no section "${title}"`);
  const end = doc.indexOf("\n## ", start + 1);
  const section = doc.slice(start, end === -1 ? undefined : end);
  const out: Row[] = [];
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const key = /^`([^`]+)`$/.exec(cells[1] ?? "");
    if (key) out.push({ key: normalize(key[1]!), default: cells[3] ?? "" });
  }
  return out;
}

// `lb.<name>.port` and `exposes[].port` are written for people; schemas say `lb.*.port`, `exposes.port`.
const normalize = (key: string) => key.replace(/<[^>]+>/g, "*").replaceAll("[]", "");

const shown = (value: unknown) =>
  `\`${typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value)}\``;

function keysOf(schema: z.ZodType): SchemaKey[] {
  return schemaKeys(schema).map((k) => ({ ...k, path: normalize(k.path) }));
}

// components.<name>.launch_config takes launch_config's keys ("in the same format"), documented once.
const sameFormat = (path: string, all: SchemaKey[]) =>
  path.startsWith("components.*.launch_config.") &&
  all.some((k) => k.path === path.slice("components.*.".length));

const lcDefaults = mergeLaunchConfig(undefined, undefined);

const sections: Array<[string, SchemaKey[], Record<string, unknown>]> = [
  [
    "Target environment",
    [...keysOf(envelopeSchema), ...keysOf(ec2AsgSchema)],
    { "launch_config.kind": lcDefaults.kind, "launch_config.ebs_optimized": lcDefaults.ebs_optimized },
  ],
  ["Application model", keysOf(modelSchema), {}],
  ["Agent configuration", keysOf(agentConfigSchema), {}],
  ["Release server configuration", keysOf(serverSchema), {}],
];

describe("docs/configuration.md", () => {
  describe.each(sections)("%s", (title, keys, codeDefaults) => {
    const documented = rows(title);
    const byKey = new Map(documented.map((r) => [r.key, r]));

    it("documents every key of the schema", () => {
      const missing = keys.filter((k) => !byKey.has(k.path) && !sameFormat(k.path, keys)).map((k) => k.path);
      expect(missing).toEqual([]);
    });

    it("documents no key the schema does not have", () => {
      const paths = new Set(keys.map((k) => k.path));
      // `lb.<name>` documents the entries of the mapping `lb`.
      const known = (k: string) => paths.has(k) || (k.endsWith(".*") && paths.has(k.slice(0, -2)));
      expect(documented.map((r) => r.key).filter((k) => !known(k))).toEqual([]);
    });

    it("gives the defaults the code applies", () => {
      const expected = new Map<string, string>();
      for (const k of keys) if (k.hasDefault) expected.set(k.path, shown(k.default));
      for (const [path, value] of Object.entries(codeDefaults)) expected.set(path, shown(value));
      const actual = new Map(documented.filter((r) => r.default !== "").map((r) => [r.key, r.default]));
      expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
    });
  });
});
