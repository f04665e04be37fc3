import { describe, expect, it } from "vitest";
import { registryErrorFor, transportErrorFor } from "#shared/registry/errors.js";

const where = { reference: "127.0.0.1:5000/team/app:2", registry: "127.0.0.1:5000", repository: "team/app" };

describe("registryErrorFor: the registry's answer and the next step", () => {
  it.each([
    [
      404,
      "MANIFEST_UNKNOWN",
      "manifest unknown",
      "ImageNotFound",
      "resolve image digest: 127.0.0.1:5000/team/app:2: not found (HTTP 404 MANIFEST_UNKNOWN: manifest unknown): check the tag",
    ],
    [
      404,
      "NAME_UNKNOWN",
      "repository name not known to registry",
      "ImageNotFound",
      "resolve image digest: 127.0.0.1:5000/team/app:2: repository not found (HTTP 404 NAME_UNKNOWN: repository name not known to registry): check the repository name",
    ],
    [
      401,
      "UNAUTHORIZED",
      "authentication required",
      "RegistryUnauthorized",
      "resolve image digest: 127.0.0.1:5000/team/app:2: unauthorised (HTTP 401 UNAUTHORIZED: authentication required): log in with docker login 127.0.0.1:5000 or set image_check_type: none",
    ],
    [
      403,
      "DENIED",
      "requested access to the resource is denied",
      "RegistryDenied",
      "resolve image digest: 127.0.0.1:5000/team/app:2: access denied (HTTP 403 DENIED: requested access to the resource is denied): use credentials allowed to pull team/app or set image_check_type: none",
    ],
    [
      503,
      undefined,
      undefined,
      "RegistryFailed",
      "resolve image digest: 127.0.0.1:5000/team/app:2: registry answered HTTP 503: the registry is busy or failing, try again later",
    ],
  ])("HTTP %s %s", (status, code, detail, errorCode, message) => {
    const err = registryErrorFor(where, status, code, detail);
    expect(err.message).toBe(message);
    expect(err.code).toBe(errorCode);
    expect(err).toMatchObject({
      reference: where.reference,
      registry: where.registry,
      status,
      registryCode: code,
    });
  });

  it.each([
    [404, false, 2],
    [401, false, 2],
    [400, false, 1],
    [429, true, 1],
    [500, true, 1],
  ])("HTTP %s: retryable %s, exit code %s", (status, retryable, exitCode) => {
    const err = registryErrorFor(where, status, undefined, undefined);
    expect([err.retryable, err.exitCode]).toEqual([retryable, exitCode]);
  });
});

describe("transportErrorFor", () => {
  const fail = (code: string) => Object.assign(new Error(`${code} happened`), { code });

  it("retries a refused connection, naming the URL", () => {
    const err = transportErrorFor(where, "http://127.0.0.1:5000/v2/", fail("ECONNREFUSED"));
    expect(err.message).toBe(
      "resolve image digest: 127.0.0.1:5000/team/app:2: cannot reach http://127.0.0.1:5000/v2/: ECONNREFUSED: ECONNREFUSED happened: check that the registry is up and its address is right",
    );
    expect(err.retryable).toBe(true);
  });

  it("suggests the insecure registry list on a TLS failure, and does not retry it", () => {
    const err = transportErrorFor(where, "https://r/v2/", fail("ERR_SSL_WRONG_VERSION_NUMBER"));
    expect(err.message).toMatch(/list 127\.0\.0\.1:5000 as an insecure registry if it serves plain HTTP$/);
    expect(err.retryable).toBe(false);
  });
});
