import { describe, expect, it } from "vitest";
import { isRetryableRegistryError, registryErrorFor, type RegistryError } from "#shared/registry/errors.js";
import { withRetries } from "#shared/registry/retries.js";
import { fakeClock } from "../../../support/fake-clock.js";

const where = { reference: "r/app:1", registry: "r", repository: "app" };

describe("withRetries (registry requests)", () => {
  it("retries 5xx and 429 with jittered backoff until an answer", async () => {
    const answers = [503, 429];
    const clock = fakeClock();
    const value = await withRetries(
      async () => {
        const status = answers.shift();
        if (status) throw registryErrorFor(where, status, undefined, undefined);
        return "sha256:x";
      },
      isRetryableRegistryError,
      { what: "manifest", clock, random: () => 0.5 },
    );
    expect(value).toBe("sha256:x");
    expect(clock.sleeps).toEqual([500, 750]);
  });

  it("gives back the registry's error, saying how many attempts were made", async () => {
    const err = (await withRetries(
      async () => {
        throw registryErrorFor(where, 502, undefined, "bad gateway");
      },
      isRetryableRegistryError,
      { what: "manifest", clock: fakeClock(), maxAttempts: 3 },
    ).catch((e: unknown) => e)) as RegistryError;
    expect(err.message).toBe(
      "resolve image digest: r/app:1: registry answered HTTP 502: bad gateway: the registry is busy or failing, try again later (gave up after 3 attempts)",
    );
    expect(err.status).toBe(502);
  });

  it("does not retry a 404", async () => {
    let calls = 0;
    await expect(
      withRetries(
        async () => {
          calls++;
          throw registryErrorFor(where, 404, "MANIFEST_UNKNOWN", undefined);
        },
        isRetryableRegistryError,
        { what: "manifest", clock: fakeClock() },
      ),
    ).rejects.toMatchObject({ code: "ImageNotFound" });
    expect(calls).toBe(1);
  });
});
