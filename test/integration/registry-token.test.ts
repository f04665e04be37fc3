// The Bearer token flow against a real docker-registry in token-auth mode, with a token server
// written for the test (registry-token-server.ts) that the registry trusts through its certificate.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseImageRef, type ImageRef } from "#shared/image-ref/parse.js";
import { createRegistryClient } from "#shared/registry/client.js";
import { RegistryError } from "#shared/registry/errors.js";
import { staticCredentials } from "#shared/registry/load-credentials.js";
import { buildBusyboxImage, type BusyboxImage } from "../support/busybox-image.js";
import { startTokenRegistry, type TokenRegistry } from "../support/registry-token-server.js";

const refOf = (image: string): ImageRef => {
  const parsed = parseImageRef(image);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.ref;
};

describe("registry client: docker-registry with token auth", () => {
  let dir: string;
  let registry: TokenRegistry;
  let image: BusyboxImage;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "registry-token-"));
    registry = await startTokenRegistry(dir);
    image = await buildBusyboxImage({ registry, repository: "team/app", tag: "1" });
  });

  afterAll(async () => {
    await registry?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("gets a pull token for the repository with the stored login, and reuses it", async () => {
    const client = createRegistryClient({
      credentials: staticCredentials({ [registry.host]: registry.auth }),
    });
    registry.tokenRequests.length = 0;
    try {
      expect((await client.resolveDigest(refOf(image.ref))).digest).toBe(image.digest);
      expect((await client.resolveDigest(refOf(`${registry.host}/team/app@${image.digest}`))).digest).toBe(
        image.digest,
      );
    } finally {
      await client.close();
    }
    expect(registry.tokenRequests).toEqual([{ user: "ci", scopes: ["repository:team/app:pull"] }]);
  });

  it("fails without a login, naming the token service and how to log in", async () => {
    const client = createRegistryClient();
    try {
      const err = (await client.resolveDigest(refOf(image.ref)).catch((e: unknown) => e)) as RegistryError;
      expect(err).toBeInstanceOf(RegistryError);
      expect(err).toMatchObject({ code: "RegistryUnauthorized", status: 401, exitCode: 2 });
      expect(err.message).toBe(
        `resolve image digest: ${image.ref}: unauthorised (HTTP 401 UNAUTHORIZED: the token service ` +
          `${registry.tokenUrl} refused anonymous access): log in with docker login ${registry.host} or set image_check_type: none`,
      );
    } finally {
      await client.close();
    }
  });
});
