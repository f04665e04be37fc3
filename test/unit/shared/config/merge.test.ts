import { describe, expect, it } from "vitest";
import { parseSource } from "#shared/config/load.js";
import { sourceLocator } from "#shared/config/locate.js";
import { mergeLayers } from "#shared/config/merge.js";

const layer = (file: string, text: string) => {
  const source = parseSource(file, text).source!;
  return { data: source.data, locate: sourceLocator(source) };
};

describe("mergeLayers", () => {
  const merged = mergeLayers([
    layer("a.yaml", "lc:\n  ami: a\n  type: t\nlist: [1, 2]\nlb:\n  x: one\n"),
    layer("b.yaml", "# b\nlc:\n  type: u\nlist: [3]\nlb:\n  x: null\n"),
  ]);

  it("merges mappings key by key and replaces everything else", () => {
    expect(merged.data).toEqual({ lc: { ami: "a", type: "u" }, list: [3], lb: { x: null } });
  });

  it("locates each value in the file that wrote it", () => {
    const at = (path: string[], target: "key" | "value" | "parent") => {
      const { file, line, column } = merged.locate(path, target);
      return `${file}:${line}:${column}`;
    };
    expect(at(["lc", "ami"], "value")).toBe("a.yaml:2:8");
    expect(at(["lc", "type"], "value")).toBe("b.yaml:3:9");
    expect(at(["list"], "value")).toBe("b.yaml:4:7");
    expect(at(["lc", "key"], "parent")).toBe("b.yaml:3:3");
    expect(at(["lb", "x"], "key")).toBe("b.yaml:6:3");
  });
});
