import { describe, expect, it } from "vitest";
import { compileExcludes, SYSTEM_EXCLUDES } from "../../../../release-server/publish/excludes.js";

const cases: { rule: string; patterns: string[]; path: string; isDir: boolean; excluded: boolean }[] = [
  {
    rule: "a bare name matches at any depth",
    patterns: [".git"],
    path: "a/b/.git",
    isDir: true,
    excluded: true,
  },
  {
    rule: "a bare name matches the whole name only",
    patterns: [".git"],
    path: "a/.github",
    isDir: true,
    excluded: false,
  },
  {
    rule: "a trailing slash matches directories only",
    patterns: ["tmp/"],
    path: "tmp",
    isDir: false,
    excluded: false,
  },
  {
    rule: "a trailing slash matches directories",
    patterns: ["tmp/"],
    path: "x/tmp",
    isDir: true,
    excluded: true,
  },
  {
    rule: "a leading slash anchors at the root",
    patterns: ["/build"],
    path: "sub/build",
    isDir: true,
    excluded: false,
  },
  {
    rule: "an anchored pattern matches at the root",
    patterns: ["/build"],
    path: "build",
    isDir: true,
    excluded: true,
  },
  {
    rule: "a star stays within a segment",
    patterns: ["*.log"],
    path: "logs/app.log",
    isDir: false,
    excluded: true,
  },
  {
    rule: "a star does not cross a slash",
    patterns: ["/a/*.txt"],
    path: "a/b/c.txt",
    isDir: false,
    excluded: false,
  },
  {
    rule: "a double star crosses slashes",
    patterns: ["/a/**.txt"],
    path: "a/b/c.txt",
    isDir: false,
    excluded: true,
  },
  { rule: "a question mark is one character", patterns: ["v?"], path: "v1", isDir: false, excluded: true },
  { rule: "dots are literal", patterns: ["a.b"], path: "axb", isDir: false, excluded: false },
  {
    rule: "the manifest directory is a system exclude",
    patterns: [...SYSTEM_EXCLUDES],
    path: ".asg-release",
    isDir: true,
    excluded: true,
  },
  {
    rule: "lost+found is a system exclude at the root only",
    patterns: [...SYSTEM_EXCLUDES],
    path: "x/lost+found",
    isDir: true,
    excluded: false,
  },
];

describe("compileExcludes", () => {
  it.each(cases)("$rule", ({ patterns, path, isDir, excluded }) => {
    expect(compileExcludes(patterns)(path, isDir)).toBe(excluded);
  });
  it("never excludes the root itself", () => {
    expect(compileExcludes(["*"])("", true)).toBe(false);
  });
});
