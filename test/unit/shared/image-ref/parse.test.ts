import { describe, expect, it } from "vitest";
import { canonicalImageRef, familiarImageRef, registryHost, withDigest } from "#shared/image-ref/format.js";
import { parseImageRef } from "#shared/image-ref/parse.js";

const digest = `sha256:${"a".repeat(64)}`;

describe("parseImageRef (distribution/reference grammar)", () => {
  it.each([
    ["nginx", { domain: "docker.io", path: "library/nginx" }],
    ["nginx:1.27", { domain: "docker.io", path: "library/nginx", tag: "1.27" }],
    ["myregistry/back:1.0", { domain: "docker.io", path: "myregistry/back", tag: "1.0" }],
    ["index.docker.io/team/app", { domain: "docker.io", path: "team/app" }],
    [
      "registry.example.com:5000/team/app:v2",
      { domain: "registry.example.com:5000", path: "team/app", tag: "v2" },
    ],
    ["localhost/app", { domain: "localhost", path: "app" }],
    ["127.0.0.1:5099/demo/hello:1", { domain: "127.0.0.1:5099", path: "demo/hello", tag: "1" }],
    ["[::1]:5000/app", { domain: "[::1]:5000", path: "app" }],
    ["Registry/app", { domain: "Registry", path: "app" }],
    ["a/b__c/d--e.f_g", { domain: "docker.io", path: "a/b__c/d--e.f_g" }],
    [`app@${digest}`, { domain: "docker.io", path: "library/app", digest }],
    [`app:1@${digest}`, { domain: "docker.io", path: "library/app", tag: "1", digest }],
  ])("parses %s", (input, ref) => {
    expect(parseImageRef(input)).toEqual({ ok: true, ref });
  });

  it.each([
    ["", "repository name must have at least one component"],
    ["a".repeat(64), "a 64-character hexadecimal string is an image id, not a reference"],
    ["team/App", 'repository name "team/App" must be lowercase'],
    [
      "app:",
      'invalid tag "": expected up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"',
    ],
    [
      "app:-x",
      'invalid tag "-x": expected up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"',
    ],
    [
      "a/b..c",
      'invalid repository name "a/b..c": expected lowercase letters and digits, separated by "/", ".", "_", "__" or "-"',
    ],
    [
      "team/app name",
      'invalid repository name "team/app name": expected lowercase letters and digits, separated by "/", ".", "_", "__" or "-"',
    ],
    ["-bad.host/app", 'invalid registry host "-bad.host"'],
    ["app@sha256:abc", 'invalid digest "sha256:abc": expected "sha256:" and 64 hex digits'],
    [`app@md5:${"a".repeat(32)}`, 'unsupported digest algorithm "md5": expected sha256, sha384 or sha512'],
    [`app@sha256:${"a".repeat(63)}`, "invalid sha256 digest length: expected 64 hex digits, got 63"],
    [`app@sha256:${"A".repeat(64)}`, "invalid sha256 digest: hex digits must be lowercase"],
    [`x/${"a".repeat(256)}`, "repository name must not be more than 255 characters"],
  ])("refuses %j", (input, problem) => {
    expect(parseImageRef(input)).toEqual({ ok: false, problem });
  });
});

describe("formatting image references", () => {
  const ref = (input: string) => {
    const parsed = parseImageRef(input);
    if (!parsed.ok) throw new Error(parsed.problem);
    return parsed.ref;
  };
  it.each([
    ["nginx", "docker.io/library/nginx:latest", "nginx"],
    ["team/app:1", "docker.io/team/app:1", "team/app:1"],
    ["registry.example.com/app:2", "registry.example.com/app:2", "registry.example.com/app:2"],
    [`nginx@${digest}`, `docker.io/library/nginx@${digest}`, `nginx@${digest}`],
  ])("%s is %s canonically and %s familiarly", (input, canonical, familiar) => {
    expect(canonicalImageRef(ref(input))).toBe(canonical);
    expect(familiarImageRef(ref(input))).toBe(familiar);
  });
  it("pins a digest and knows Docker Hub's registry host", () => {
    expect(canonicalImageRef(withDigest(ref("nginx:1"), digest))).toBe(`docker.io/library/nginx:1@${digest}`);
    expect(registryHost(ref("nginx"))).toBe("registry-1.docker.io");
    expect(registryHost(ref("localhost:5000/app"))).toBe("localhost:5000");
  });
});
