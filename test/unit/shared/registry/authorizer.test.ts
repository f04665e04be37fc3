import { describe, expect, it } from "vitest";
import { parseToken } from "#shared/registry/authorizer.js";

const where = { reference: "r/app:1", registry: "r", repository: "app" };
const body = (v: unknown) => Buffer.from(JSON.stringify(v));

describe("parseToken (token service answers)", () => {
  it.each([
    [
      "distribution's token field",
      { token: "abc", expires_in: 300 },
      { value: "Bearer abc", until: 1000 + 290_000 },
    ],
    ["OAuth2's access_token field", { access_token: "xyz" }, { value: "Bearer xyz", until: 1000 + 50_000 }],
  ])("reads %s, expiring early by a margin (60 s when unsaid)", (_name, answer, expected) => {
    expect(parseToken(body(answer), where, 1000)).toEqual(expected);
  });

  it("fails on an answer without a token", () => {
    expect(() => parseToken(Buffer.from("<html>"), where, 0)).toThrow(
      "resolve image digest: r/app:1: the token service answered without a token",
    );
  });
});
