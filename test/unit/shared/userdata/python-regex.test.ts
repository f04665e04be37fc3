import { describe, expect, it } from "vitest";
import { compilePythonRegex } from "#shared/userdata/python-regex.js";

const text = "FIRST line\nIMAGE=old\nimage: {{image_id}} 'IMG' x\nend\n";

const replaceAll = (pattern: string, input = text) => {
  const compiled = compilePythonRegex(pattern);
  if (!compiled.ok) throw new Error(compiled.problems.join("; "));
  return input.replace(compiled.regex, () => "NEW");
};

describe("compilePythonRegex", () => {
  it.each([
    ["{{image_id}}", "FIRST line\nIMAGE=old\nimage: NEW 'IMG' x\nend\n"],
    ["(?P<q>['\"])IMG(?P=q)", "FIRST line\nIMAGE=old\nimage: {{image_id}} NEW x\nend\n"],
    ["^IMAGE=.*$", "FIRST line\nNEW\nimage: {{image_id}} 'IMG' x\nend\n"],
    ["^\\w+", "NEW line\nNEW=old\nNEW: {{image_id}} 'IMG' x\nNEW\n"],
    ["\\AFIRST", "NEW line\nIMAGE=old\nimage: {{image_id}} 'IMG' x\nend\n"],
    ["end\\n\\Z", "FIRST line\nIMAGE=old\nimage: {{image_id}} 'IMG' x\nNEW"],
    ["(?i)image=old", "FIRST line\nNEW\nimage: {{image_id}} 'IMG' x\nend\n"],
    ["(?x) IMAGE = old  # the old image", "FIRST line\nNEW\nimage: {{image_id}} 'IMG' x\nend\n"],
    ["old.image", text],
    ["(?s)old.image", "FIRST line\nIMAGE=NEW: {{image_id}} 'IMG' x\nend\n"],
    ["\\{\\{image_id\\}\\}", "FIRST line\nIMAGE=old\nimage: NEW 'IMG' x\nend\n"],
    ["x{,1}\\nend", "FIRST line\nIMAGE=old\nimage: {{image_id}} 'IMG' NEW\n"],
    ["[]I]MG", "FIRST line\nIMAGE=old\nimage: {{image_id}} 'NEW' x\nend\n"],
    ["(IMG)'\\s\\1?x", "FIRST line\nIMAGE=old\nimage: {{image_id}} 'NEW\nend\n"],
    ["(?#comment)IMG", "FIRST line\nIMAGE=old\nimage: {{image_id}} 'NEW' x\nend\n"],
  ])("%s replaces as Python's re.sub(pattern, ..., flags=re.M) does", (pattern, expected) => {
    expect(replaceAll(pattern)).toBe(expected);
  });

  it("never lets . or $ span a carriage return differently from Python", () => {
    expect(replaceAll("a.b", "a\rb")).toBe("NEW");
    expect(replaceAll("a$", "a\r\n")).toBe("a\r\n");
  });

  it.each([
    [
      "(?i:x)",
      "scoped inline flags at character 1 have no JavaScript equivalent; put global flags like (?i) at the start",
    ],
    ["x(?i)", "inline flags at character 2 must be at the start of the pattern"],
    ["(?>x)", "atomic group (?>...) at character 1 has no JavaScript equivalent"],
    ["(a)?(?(1)b|c)", "conditional group (?(...)...) at character 5 has no JavaScript equivalent"],
    ["a++", "possessive quantifier at character 3 has no JavaScript equivalent"],
    ["(?L)x", "(?L) (locale-dependent matching) has no JavaScript equivalent"],
    ["\\q", "bad escape \\q at character 1"],
    ["x\\", "pattern ends with a lone backslash"],
    ["[a-", "unterminated character set: missing ]"],
    ["(a)\\2", "reference to group 2, but the pattern has 1 group(s)"],
    ["(?P=n)x", "(?P=n) refers to no earlier group of that name"],
    ["\\U0001F600", "escape \\U at character 1 must name a character up to \\U0000FFFF"],
    ["x*", "matches the empty string, so the image id would be inserted everywhere"],
    ["(x", "not a valid regular expression: unterminated group"],
  ])("refuses %s", (pattern, problem) => {
    expect(compilePythonRegex(pattern)).toEqual({ ok: false, problems: [problem] });
  });
});
