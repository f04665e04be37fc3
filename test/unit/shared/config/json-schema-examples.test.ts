// The JSON Schemas (schemas/*.schema.json) accept every configuration file the project shows or
// ships: the fixtures, the documentation's examples, the agent configuration in the cloud-init
// template and every file of the configuration corpus that the loaders accept. An editor must never
// flag a file that `asg-release validate` passes. They also catch the mistakes they can see.
import { readdirSync, readFileSync } from "node:fs";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { configJsonSchema } from "#shared/config/json-schema.js";
import { configSchemaNames, type ConfigSchemaName } from "#shared/config/json-schema-names.js";
import { crossCases } from "./corpus/cross-cases.js";
import { environmentCases } from "./corpus/environment-cases.js";
import { mergeCases } from "./corpus/merge-cases.js";
import { modelCases } from "./corpus/model-cases.js";
import type { CorpusCase } from "./corpus/runner.js";
import { serverCases } from "./corpus/server-cases.js";

const root = new URL("../../../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");

const ajv = new Ajv({ allErrors: true });
const validators = Object.fromEntries(configSchemaNames.map((n) => [n, ajv.compile(configJsonSchema(n))]));

/** The schema's complaints about a document, as `path: message` lines; [] when it is valid. */
function problems(name: ConfigSchemaName, text: string): string[] {
  const validate = validators[name]!;
  if (validate(parse(text) as unknown)) return [];
  return (validate.errors ?? []).map((e) => {
    const extra =
      e.keyword === "additionalProperties"
        ? ` (${(e.params as { additionalProperty: string }).additionalProperty})`
        : "";
    return `${e.dataPath || "."}: ${e.message ?? ""}${extra}`;
  });
}

const modeline = /^# yaml-language-server: \$schema=\S*?(\w+)\.schema\.json\n/;

/** The schema a document names in its first line, as editors read it. */
function schemaOf(text: string): ConfigSchemaName | undefined {
  const name = modeline.exec(text)?.[1];
  return configSchemaNames.find((n) => n === name);
}

interface Example {
  where: string;
  schema: ConfigSchemaName;
  text: string;
}

function fixtureExamples(): Example[] {
  const dir = "test/fixtures/config/valid/";
  return readdirSync(new URL(dir, root)).map((file) => {
    const text = read(dir + file);
    return { where: dir + file, schema: schemaOf(text)!, text };
  });
}

/** ```yaml blocks of the docs that open with the modeline. */
function docExamples(): Example[] {
  const out: Example[] = [];
  for (const file of readdirSync(new URL("docs/", root)).filter((f) => f.endsWith(".md"))) {
    const doc = read(`docs/${file}`);
    for (const m of doc.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)) {
      const schema = schemaOf(m[1]!);
      if (schema)
        out.push({ where: `docs/${file}:${doc.slice(0, m.index).split("\n").length}`, schema, text: m[1]! });
    }
  }
  return out;
}

function cloudInitAgentConfig(): Example {
  const template = parse(read("cloud-init/agent.yaml")) as {
    write_files: { path: string; content: string }[];
  };
  const file = template.write_files.find((f) => f.path === "/etc/asg-release/agent.yaml")!;
  return { where: "cloud-init/agent.yaml (write_files)", schema: "agent", text: file.content };
}

// A case about merging: its first file, on its own, holds the bad value the second one replaces.
const mergedOnly = new Set(["a later file fixes what an earlier one got wrong"]);

// Each file of a case the loaders accept (warnings allowed), with the schema of its role.
function corpusExamples(): Example[] {
  const cases: CorpusCase[] = [
    ...environmentCases,
    ...mergeCases,
    ...modelCases,
    ...crossCases,
    ...serverCases,
  ];
  const out: Example[] = [];
  for (const c of cases) {
    if (mergedOnly.has(c.name) || c.lines.some((line) => !/^[^:]+:\d+:\d+: warning: /.test(line))) continue;
    const roles: Array<[string | undefined, ConfigSchemaName]> = [
      ...(c.env ?? []).map((f): [string, ConfigSchemaName] => [f, "environment"]),
      [c.model, "model"],
      [c.server, "server"],
    ];
    for (const [file, schema] of roles) {
      if (file !== undefined) out.push({ where: `corpus "${c.name}" ${file}`, schema, text: c.files[file]! });
    }
  }
  return out;
}

describe("the JSON Schemas accept", () => {
  it("the valid fixtures, each naming its schema in the modeline", () => {
    const examples = fixtureExamples();
    expect(examples.map((e) => [e.where, e.schema])).toEqual([
      ["test/fixtures/config/valid/env.yaml", "environment"],
      ["test/fixtures/config/valid/model.yaml", "model"],
      ["test/fixtures/config/valid/prod.yaml", "environment"],
    ]);
    for (const e of examples) expect(problems(e.schema, e.text), e.where).toEqual([]);
  });

  it("the documentation's examples of the agent, server and model files", () => {
    const examples = docExamples();
    expect(new Set(examples.map((e) => e.schema))).toEqual(new Set(["agent", "server", "model"]));
    for (const e of examples) expect(problems(e.schema, e.text), e.where).toEqual([]);
  });

  it("the agent configuration the cloud-init template writes", () => {
    const e = cloudInitAgentConfig();
    expect(problems(e.schema, e.text)).toEqual([]);
  });

  it("every file of the configuration corpus that the loaders accept", () => {
    const examples = corpusExamples();
    expect(examples.length).toBeGreaterThanOrEqual(10);
    const rejected = examples.filter((e) => problems(e.schema, e.text).length > 0);
    expect(rejected.map((e) => `${e.where}: ${problems(e.schema, e.text).join("; ")}`)).toEqual([]);
  });

  it("${var} references for any scalar of the model", () => {
    const model = [
      "doctype: com.datagridsys.doctype/skopos/model",
      "version: 1",
      "components:",
      "  web: { image: 'shop/web:${TAG}', replicas: '${REPLICAS}', singleton: '${ONE:-false}' }",
      "gateways:",
      "  app: { type: load_balancer, target: web, exposes: { port: '${PORT}' } }",
    ].join("\n");
    expect(problems("model", model)).toEqual([]);
  });

  it("an environment file with other plugins and top-level keys, or an empty ec2-asg record", () => {
    const env = "core_plugin: ec2-asg\nowner: ops\nplugin_config:\n  other: { any: thing }\n  ec2-asg:\n";
    expect(problems("environment", env)).toEqual([]);
  });

  it("durations written with a unit", () => {
    expect(problems("environment", "rollout: { bake_time: 15m, keep_old_slot: 3600 }\n")).toEqual([]);
  });
});

describe("the JSON Schemas reject", () => {
  it("the invalid environment fixture, at the wrong type and the misspelt key", () => {
    const found = problems("environment", read("test/fixtures/config/invalid/env.yaml"));
    expect(found).toContain(".launch_config.type: should be string");
    expect(found).toContain(".: should NOT have additional properties (vcp)");
  });

  it("unknown keys, missing required keys and values of the wrong form in every file", () => {
    expect(problems("server", "project: shop\nsource: srv\nretention: 0\n")).not.toEqual([]);
    expect(problems("agent", "project: shop\npointer: {}\n")).not.toEqual([]);
    expect(problems("model", "doctype: x\nversion: 1\ncomponents: {}\n")).not.toEqual([]);
    expect(problems("environment", "plugin_config:\n  ec2-asg: { vcp: x }\n")).not.toEqual([]);
  });

  it("an agent pointer with neither url nor s3", () => {
    const agent = [
      "project: shop",
      "pointer: { timeout: 5 }",
      "container: { image: shop/web:1 }",
      "readiness: { check: { tcp: { port: 80 } } }",
    ].join("\n");
    expect(problems("agent", agent)).toEqual([
      ".pointer: should have required property 'url'",
      ".pointer: should have required property 's3'",
      ".pointer: should match some schema in anyOf",
    ]);
  });
});
