import { describe, expect, it } from "vitest";
import { chooseChallenge, parseWwwAuthenticate } from "#shared/registry/www-authenticate.js";

describe("parseWwwAuthenticate (RFC 7235 challenges)", () => {
  it.each([
    [
      "Docker Hub's Bearer challenge, with a comma inside the quoted scope",
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"',
      [
        {
          scheme: "bearer",
          params: {
            realm: "https://auth.docker.io/token",
            service: "registry.docker.io",
            scope: "repository:samalba/my-app:pull,push",
          },
        },
      ],
    ],
    [
      "docker-registry's htpasswd challenge",
      'Basic realm="sim-registry"',
      [{ scheme: "basic", params: { realm: "sim-registry" } }],
    ],
    [
      "scheme and parameter names in any case, spaces around = and unquoted tokens",
      'BEARER Realm = "http://127.0.0.1:1/token" , Service=local',
      [{ scheme: "bearer", params: { realm: "http://127.0.0.1:1/token", service: "local" } }],
    ],
    [
      "an error parameter with an escaped quote",
      'Bearer realm="r",error="invalid_token",error_description="the \\"token\\" expired"',
      [
        {
          scheme: "bearer",
          params: { realm: "r", error: "invalid_token", error_description: 'the "token" expired' },
        },
      ],
    ],
    [
      "two challenges in one header",
      'Basic realm="a", Bearer realm="b",service="s"',
      [
        { scheme: "basic", params: { realm: "a" } },
        { scheme: "bearer", params: { realm: "b", service: "s" } },
      ],
    ],
    ["a scheme without parameters", "Basic", [{ scheme: "basic", params: {} }]],
    ["an empty header", "", []],
  ])("%s", (_name, header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });

  it("reads repeated headers as one list of challenges", () => {
    expect(parseWwwAuthenticate(['Basic realm="a"', 'Bearer realm="b"']).map((c) => c.scheme)).toEqual([
      "basic",
      "bearer",
    ]);
  });

  it("has no challenges without the header", () => {
    expect(parseWwwAuthenticate(undefined)).toEqual([]);
  });
});

describe("chooseChallenge", () => {
  it("answers Bearer when a registry offers both", () => {
    expect(chooseChallenge(parseWwwAuthenticate('Basic realm="a", Bearer realm="b"'))?.scheme).toBe("bearer");
  });

  it("answers Basic when that is all there is", () => {
    expect(chooseChallenge(parseWwwAuthenticate('Basic realm="a"'))?.scheme).toBe("basic");
  });

  it("answers nothing it does not speak", () => {
    expect(chooseChallenge(parseWwwAuthenticate('Negotiate, Digest realm="x"'))).toBeUndefined();
  });
});
