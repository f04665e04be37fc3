import { describe, expect, it } from "vitest";
import { parseSource, type Source } from "#shared/config/load.js";
import { locateInSource, sourceLocator } from "#shared/config/locate.js";

const source = (text: string): Source => {
  const { source, issues } = parseSource("env.yaml", text);
  if (!source) throw new Error(JSON.stringify(issues));
  return source;
};

const text = [
  "vpc: my-vpc", //                      1
  "launch_config:", //                   2
  "  sg:", //                            3
  "    - sg-1", //                       4
  "    - sg-2", //                       5
  "  key:", //                           6
  "base: &base { type: t2.nano }", //   7
  "merged:", //                          8
  "  <<: *base", //                      9
  "  ami: x", //                         10
].join("\n");

describe("locateInSource", () => {
  const s = source(text);
  it.each([
    [["vpc"], "key", 1, 1],
    [["vpc"], "value", 1, 6],
    [["launch_config", "sg", 1], "value", 5, 7],
    [["launch_config", "missing"], "parent", 3, 3],
    [["launch_config", "key"], "value", 6, 3],
    [["merged", "type"], "value", 7, 21],
    [["merged", "type"], "key", 7, 15],
    [["nowhere", "deeper"], "value", 1, 1],
    [["missing"], "parent", 1, 1],
  ] as const)("%j (%s) is at %i:%i", (path, at, line, column) => {
    expect(locateInSource(s, path, at)).toEqual({ line, column });
  });

  it("re-roots a bare record at plugin_config.ec2-asg", () => {
    const locate = sourceLocator(s, ["plugin_config", "ec2-asg"]);
    expect(locate(["plugin_config", "ec2-asg", "vpc"], "value")).toEqual({
      file: "env.yaml",
      line: 1,
      column: 6,
      path: ["vpc"],
    });
    expect(locate(["vars", "X"], "key")).toEqual({ file: "env.yaml", line: 1, column: 1, path: [] });
  });
});
