// Files that are not readable configuration at all: syntax errors, empty files, non-mapping roots.
import { yaml, type CorpusCase } from "./runner.js";

export const syntaxCases: CorpusCase[] = [
  {
    name: "an empty file",
    files: { "env.yaml": "" },
    env: ["env.yaml"],
    lines: ["env.yaml:1:1: expected a mapping at the top level, got an empty file"],
  },
  {
    name: "a file with only comments",
    files: { "env.yaml": "# nothing here yet\n\n" },
    env: ["env.yaml"],
    lines: ["env.yaml:1:1: expected a mapping at the top level, got an empty file"],
  },
  {
    name: "a list at the top level",
    files: { "env.yaml": "- vpc: my-vpc\n" },
    env: ["env.yaml"],
    lines: ["env.yaml:1:1: expected a mapping at the top level, got a list"],
  },
  {
    name: "a plain string at the top level",
    files: { "env.yaml": "# comment\nhello\n" },
    env: ["env.yaml"],
    lines: ["env.yaml:2:1: expected a mapping at the top level, got a string"],
  },
  {
    name: "YAML: a value indented under a scalar",
    files: {
      "env.yaml": yaml`
        vpc: my-vpc
          subnets: [a]
      `,
    },
    env: ["env.yaml"],
    lines: ["env.yaml:1:6: invalid YAML: nested mappings are not allowed in compact mappings"],
  },
  {
    name: "YAML: a duplicated key",
    files: {
      "env.yaml": yaml`
        vpc: my-vpc
        launch_config: {ami: ami-4d795c5a, type: t2.nano}
        vpc: other-vpc
      `,
    },
    env: ["env.yaml"],
    lines: ["env.yaml:3:1: invalid YAML: map keys must be unique"],
  },
  {
    name: "YAML: an unterminated quoted string",
    files: { "env.yaml": 'vpc: "my-vpc\nlaunch_config: {}\n' },
    env: ["env.yaml"],
    lines: ['env.yaml:3:1: invalid YAML: missing closing "quote'],
  },
  {
    name: "YAML: an unclosed flow sequence",
    files: { "env.yaml": "vpc: my-vpc\nsubnets: [a, b\n" },
    env: ["env.yaml"],
    lines: [
      "env.yaml:3:1: invalid YAML: flow sequence in block collection must be sufficiently indented and end with a ]",
    ],
  },
  {
    name: "YAML: an alias without its anchor",
    files: { "env.yaml": "vpc: my-vpc\nlaunch_config: *base\n" },
    env: ["env.yaml"],
    lines: ["env.yaml:2:16: invalid YAML: alias *base has no anchor &base before it"],
  },
  {
    name: "JSON: a trailing comma (valid YAML, reported as JSON)",
    files: { "env.json": '{\n  "vpc": "my-vpc",\n}\n' },
    env: ["env.json"],
    lines: ["env.json:3:1: invalid JSON: expected double-quoted property name"],
  },
  {
    name: "JSON: a missing comma",
    files: { "env.json": '{\n  "vpc": "my-vpc"\n  "launch_config": {}\n}\n' },
    env: ["env.json"],
    lines: ["env.json:3:3: invalid JSON: expected ',' or '}' after property value"],
  },
  {
    name: "a file that does not exist",
    files: {},
    env: ["missing.yaml"],
    lines: ["missing.yaml:1:1: cannot read the file: no such file"],
  },
];
