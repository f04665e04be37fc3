import { describe, expect, it } from "vitest";
import { parseSource } from "#shared/config/load.js";
import { substituteInSource, substituteVars } from "#shared/config/vars.js";

const vars = { TAG: "1.0", EMPTY: "", N: "3" };

describe("substituteVars", () => {
  it.each([
    ["app:${TAG}", "app:1.0"],
    ["${TAG}-${TAG}", "1.0-1.0"],
    ["${MISSING-dflt}", "dflt"],
    ["${EMPTY-dflt}", ""],
    ["${EMPTY:-dflt}", "dflt"],
    ["${MISSING:-}", ""],
    ["$TAG and $", "$TAG and $"],
  ])("%s becomes %s", (text, expected) => {
    expect(substituteVars(text, vars)).toEqual({ text: expected, problems: [] });
  });

  it.each([
    [
      "x ${NOPE}",
      2,
      'undefined variable "NOPE": define it under vars in an environment file, or write ${NOPE-default}',
    ],
    ["${TAG", 0, 'unterminated variable reference: "${" without a closing "}"'],
    [
      "${a b}",
      0,
      'invalid variable reference "${a b}": names are letters, digits and "_", not starting with a digit',
    ],
  ])("%s is a problem at offset %i", (text, offset, message) => {
    expect(substituteVars(text, vars).problems).toEqual([{ offset, message }]);
  });
});

describe("substituteInSource", () => {
  it("substitutes values, not keys, and reads unquoted numbers as numbers", () => {
    const source = parseSource("m.yaml", "${TAG}: a\nn: ${N}\nq: '${N}'\nlist:\n  - x-${TAG}\n").source!;
    const result = substituteInSource(source, vars);
    expect(result.data).toEqual({ "${TAG}": "a", n: 3, q: "3", list: ["x-1.0"] });
    expect(result.issues).toEqual([]);
    expect(source.data.n).toBe("${N}");
  });

  it("points at the ${ of an undefined variable", () => {
    const source = parseSource("m.yaml", "a:\n  image: 'app:${TAG}-${NOPE}'\n").source!;
    const { issues, failed } = substituteInSource(source, vars);
    expect(issues.map((i) => `${i.line}:${i.column} ${i.path}`)).toEqual(["2:22 a.image"]);
    expect(failed).toEqual([["a", "image"]]);
  });
});
