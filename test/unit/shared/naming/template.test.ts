import { describe, expect, it } from "vitest";
import { effectiveTemplate, parseNamingTemplate } from "#shared/naming/template.js";

const problems = (source: string) => {
  const result = parseNamingTemplate(source);
  return result.ok ? [] : result.problems;
};

describe("naming templates (docs/spec/deploy.md#naming-template)", () => {
  it.each([
    ["{prj}.{comp}_{slot}", "{prj}.{comp}_{slot}"],
    ["{prj}.{name}_{side}", "{prj}.{comp}_{slot}"],
    ["{prj}-{comp}", "{prj}-{comp}_{slot}"],
    ["app-{prj}", "app-{prj}_{slot}"],
    ["{slot}.{prj}.{comp}", "{slot}.{prj}.{comp}"],
  ])("accepts %s, read as %s", (source, effective) => {
    const result = parseNamingTemplate(source);
    expect(result.ok).toBe(true);
    if (result.ok) expect(effectiveTemplate(result.template)).toBe(effective);
  });

  it.each([
    ["{prj}.{comp}.{prj}", ["{prj} appears 2 times; each placeholder may appear only once"]],
    [
      "{prj}.{comp}.{name}_{slot}",
      ["{comp} appears 2 times (as {comp}, {name}); each placeholder may appear only once"],
    ],
    [
      "{prj}.{version}",
      [
        "unknown placeholder {version}; the placeholders are {prj}, {comp} (or {name}) and {slot} (or {side})",
      ],
    ],
    ["{prj}.{comp", ['unmatched "{" at character 7']],
    ["{prj}}.x", ['unmatched "}" at character 6']],
    ["{prj}{comp}", ["{prj} and {comp} need at least one character between them"]],
    ["{comp}.{slot}", ["must contain {prj}"]],
    ["", ["must contain {prj}"]],
  ])("refuses %s", (source, expected) => {
    expect(problems(source)).toEqual(expected);
  });

  it("knows whether {comp} is present", () => {
    const withComp = parseNamingTemplate("{prj}.{comp}_{slot}");
    const without = parseNamingTemplate("{prj}_{slot}");
    expect(withComp.ok && withComp.template.hasComp).toBe(true);
    expect(without.ok && without.template.hasComp).toBe(false);
  });
});
