// The local region has no ECR: the token decoding and the port are checked here with a fake.
import { describe, expect, it } from "vitest";
import type { AwsError } from "#shared/errors.js";
import { parseImageRef } from "#shared/image-ref/parse.js";
import {
  decodeEcrToken,
  ecrCredentials,
  parseEcrHost,
  type GetEcrAuthorization,
} from "#shared/registry/ecr.js";
import { registryCredentials } from "#shared/registry/load-credentials.js";

const host = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
const registry = { host, accountId: "123456789012", region: "eu-west-1" };
const token = Buffer.from("AWS:eyJwYXlsb2FkIjoi...").toString("base64");

describe("parseEcrHost", () => {
  it.each([
    [host, registry],
    ["123456789012.dkr.ecr-fips.us-east-1.amazonaws.com", { accountId: "123456789012", region: "us-east-1" }],
    ["123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", { accountId: "123456789012", region: "cn-north-1" }],
    ["123456789012.dkr-ecr.eu-west-1.on.aws", { accountId: "123456789012", region: "eu-west-1" }],
  ])("%s is an ECR registry", (h, expected) => {
    expect(parseEcrHost(h)).toMatchObject(expected);
  });

  it.each(["docker.io", "public.ecr.aws", "12345.dkr.ecr.eu-west-1.amazonaws.com", `${host}.evil.example`])(
    "%s is not",
    (h) => {
      expect(parseEcrHost(h)).toBeUndefined();
    },
  );
});

describe("ECR authorization tokens", () => {
  it("decodes base64 AWS:<password> into basic credentials", () => {
    expect(decodeEcrToken(registry, token)).toEqual({ username: "AWS", password: "eyJwYXlsb2FkIjoi..." });
  });

  it("rejects a token of another shape", () => {
    const err = (() => {
      try {
        decodeEcrToken(registry, Buffer.from("nocolon").toString("base64"));
      } catch (e) {
        return e as AwsError;
      }
    })();
    expect(err?.message).toBe(`GetAuthorizationToken: ${host}: the token is not base64 of "AWS:<password>"`);
  });

  it("asks the port for the registry's region and account", async () => {
    const asked: unknown[] = [];
    const fake: GetEcrAuthorization = async (r) => {
      asked.push(r);
      return { authorizationToken: token };
    };
    expect(await ecrCredentials(fake, registry)).toEqual({
      username: "AWS",
      password: "eyJwYXlsb2FkIjoi...",
    });
    expect(asked).toEqual([registry]);
  });

  it("is the credential source for ECR images, before any login file", async () => {
    const parsed = parseImageRef(`${host}/team/app:1`);
    if (!parsed.ok) throw new Error(parsed.problem);
    const source = registryCredentials({
      env: { DOCKER_CONFIG: "/nonexistent", REGISTRY_AUTH_FILE: "/nonexistent/auth.json" },
      home: "/nonexistent",
      ecr: async () => ({ authorizationToken: token }),
    });
    expect(await source(parsed.ref)).toEqual({ username: "AWS", password: "eyJwYXlsb2FkIjoi..." });
  });
});
