import { describe, expect, it } from "vitest";
import type { AsgReleaseError } from "#shared/errors.js";
import { parseImageRef, type ImageRef } from "#shared/image-ref/parse.js";
import {
  authFilePaths,
  credentialCandidates,
  normaliseAuthKey,
  parseAuthFile,
} from "#shared/registry/auth-files.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");
const ref = (s: string): ImageRef => {
  const parsed = parseImageRef(s);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.ref;
};
const failureOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err as AsgReleaseError;
  }
  throw new Error("expected a failure");
};

describe("authFilePaths (containers-auth.json(5) order, then Docker)", () => {
  it.each([
    [
      "podman's runtime and config files, then ~/.docker/config.json",
      { XDG_RUNTIME_DIR: "/run/user/0" },
      ["/run/user/0/containers/auth.json", "/root/.config/containers/auth.json", "/root/.docker/config.json"],
    ],
    [
      "REGISTRY_AUTH_FILE alone replaces podman's files",
      { REGISTRY_AUTH_FILE: "/etc/auth.json", XDG_RUNTIME_DIR: "/run/user/0" },
      ["/etc/auth.json", "/root/.docker/config.json"],
    ],
    [
      "DOCKER_CONFIG names the directory of config.json",
      { DOCKER_CONFIG: "/srv/docker", XDG_CONFIG_HOME: "/srv/xdg" },
      ["/srv/xdg/containers/auth.json", "/srv/docker/config.json"],
    ],
  ])("%s", (_name, env, expected) => {
    expect(authFilePaths(env, "/root")).toEqual(expected);
  });
});

describe("normaliseAuthKey", () => {
  it.each([
    ["https://index.docker.io/v1/", "docker.io"],
    ["index.docker.io", "docker.io"],
    ["registry-1.docker.io", "docker.io"],
    ["docker.io/library/nginx", "docker.io/library/nginx"],
    ["127.0.0.1:5000", "127.0.0.1:5000"],
    ["http://127.0.0.1:5000", "127.0.0.1:5000"],
    ["https://registry.example.com/v2/", "registry.example.com"],
    ["quay.io/team/", "quay.io/team"],
  ])("%s is stored under %s", (key, expected) => {
    expect(normaliseAuthKey(key)).toBe(expected);
  });
});

describe("parseAuthFile and credentialCandidates", () => {
  const file = parseAuthFile(
    JSON.stringify({
      auths: {
        "127.0.0.1:5000": { auth: b64("ci:pa:ss") },
        "https://index.docker.io/v1/": { auth: b64("hub:secret") },
        "quay.io/team": { username: "team", password: "t" },
        "quay.io": { auth: b64("any:q") },
        "stored.example.com": { auth: "" },
      },
      credHelpers: { "123456789012.dkr.ecr.eu-west-1.amazonaws.com": "ecr-login" },
    }),
    "/root/.docker/config.json",
  );

  it("decodes auths.<registry>.auth as base64 user:password, splitting at the first colon", () => {
    expect(credentialCandidates(file, ref("127.0.0.1:5000/app:1"))).toEqual([
      {
        kind: "basic",
        credentials: { username: "ci", password: "pa:ss" },
        path: "/root/.docker/config.json",
      },
    ]);
  });

  it("finds Docker Hub logins for familiar names", () => {
    expect(credentialCandidates(file, ref("nginx"))[0]).toMatchObject({
      credentials: { username: "hub", password: "secret" },
    });
  });

  it("prefers the most specific podman key (registry/namespace) to the registry's", () => {
    expect(
      credentialCandidates(file, ref("quay.io/team/app")).map(
        (c) => c.kind === "basic" && c.credentials.username,
      ),
    ).toEqual(["team", "any"]);
  });

  it("asks a credHelpers entry for its registry, with the registry as server URL", () => {
    expect(credentialCandidates(file, ref("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app"))).toEqual([
      {
        kind: "helper",
        helper: "ecr-login",
        serverUrl: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
        path: "/root/.docker/config.json",
      },
    ]);
  });

  it("asks the credsStore before stored auths, with Docker Hub's server URL for Hub images", () => {
    const store = parseAuthFile(JSON.stringify({ credsStore: "pass", auths: { "docker.io": {} } }), "c.json");
    expect(credentialCandidates(store, ref("team/app"))).toEqual([
      { kind: "helper", helper: "pass", serverUrl: "https://index.docker.io/v1/", path: "c.json" },
    ]);
  });

  it("has nothing for an empty placeholder entry or an unknown registry", () => {
    expect(credentialCandidates(file, ref("stored.example.com/app"))).toEqual([]);
    expect(credentialCandidates(file, ref("other.example.com/app"))).toEqual([]);
  });

  it("accepts a file without auths", () => {
    expect(parseAuthFile("{}", "c.json").auths.size).toBe(0);
  });

  it.each([
    ["{", /^read registry credentials: c\.json: not valid JSON \(.*\): fix the file or log in again$/],
    ["[]", /^read registry credentials: c\.json: not a JSON object: fix the file or log in again$/],
    [
      JSON.stringify({ auths: { "r.example": { auth: b64("nocolon") } } }),
      /^read registry credentials: c\.json: auths\.r\.example\.auth is not base64 of "user:password": fix the file or log in again$/,
    ],
  ])("rejects %s with the file and exit code 2", (text, message) => {
    const err = failureOf(() => parseAuthFile(text, "c.json"));
    expect(err.message).toMatch(message);
    expect(err.code).toBe("AuthFileInvalid");
    expect(err.exitCode).toBe(2);
  });
});
