import { describe, expect, it } from "vitest";
import { parseSource } from "#shared/config/load.js";

describe("parseSource", () => {
  it("returns the data with a document that knows positions", () => {
    const { source, issues } = parseSource("env.yaml", "vpc: my-vpc\nlaunch_config:\n  ami: ami-4d795c5a\n");
    expect(issues).toEqual([]);
    expect(source?.data).toEqual({ vpc: "my-vpc", launch_config: { ami: "ami-4d795c5a" } });
    expect(source?.lines.linePos(source.text.indexOf("ami:"))).toEqual({ line: 3, col: 3 });
  });

  it("reads JSON, and resolves YAML anchors and merge keys", () => {
    expect(parseSource("a.json", '{"a": [1, 2]}').source?.data).toEqual({ a: [1, 2] });
    expect(parseSource("a.yaml", "b: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n").source?.data).toEqual({
      b: { x: 1 },
      c: { x: 1, y: 2 },
    });
  });

  it("reports one line per position when the parser cascades", () => {
    const { issues } = parseSource("a.yaml", "a: 1\n  b: 2\n");
    expect(issues.map((i) => `${i.line}:${i.column} ${i.message}`)).toEqual([
      "1:4 invalid YAML: nested mappings are not allowed in compact mappings",
    ]);
  });

  it("keeps YAML warnings as warnings and still returns the data", () => {
    const { source, issues } = parseSource("a.yaml", "x: !custom 1\n");
    expect(source?.data).toEqual({ x: "1" });
    expect(issues).toEqual([
      {
        file: "a.yaml",
        line: 1,
        column: 4,
        path: "",
        message: "YAML: unresolved tag: !custom",
        severity: "warning",
      },
    ]);
  });

  it("reports JSON errors at the end of the text when JSON gives no position", () => {
    const { issues } = parseSource("a.json", '{"a": \n');
    expect(issues.map((i) => `${i.line}:${i.column} ${i.message}`)).toEqual([
      "2:1 invalid JSON: unexpected end of the file",
    ]);
  });
});
