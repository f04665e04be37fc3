// Digest resolution against a real registry (Debian's docker-registry) on loopback, anonymous
// access, with images pushed by podman.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseImageRef, type ImageRef } from "#shared/image-ref/parse.js";
import { createRegistryClient, type RegistryClient } from "#shared/registry/client.js";
import { RegistryError } from "#shared/registry/errors.js";
import { reportedImage } from "#shared/registry/reported-image.js";
import { dockerResolver } from "#shared/registry/resolver.js";
import { buildBusyboxImage, type BusyboxImage } from "../support/busybox-image.js";
import { startRegistry, type Registry } from "../support/registry.js";

const refOf = (image: string): ImageRef => {
  const parsed = parseImageRef(image);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.ref;
};

describe("registry client: anonymous docker-registry", () => {
  let registry: Registry;
  let client: RegistryClient;
  let first: BusyboxImage;

  beforeAll(async () => {
    registry = await startRegistry();
    client = createRegistryClient();
    first = await buildBusyboxImage({ registry, repository: "team/app", tag: "1" });
  });

  afterAll(async () => {
    await client?.close();
    await registry?.stop();
  });

  it("resolves a tag to the digest podman pushed", async () => {
    const resolved = await client.resolveDigest(refOf(first.ref));
    expect(resolved.digest).toBe(first.digest);
    expect(resolved.mediaType).toMatch(/^application\/vnd\.(oci\.image|docker\.distribution)\.manifest/);
  });

  it("resolves a digest reference to itself after checking the registry has it", async () => {
    const pinned = refOf(`${registry.host}/team/app@${first.digest}`);
    expect((await client.resolveDigest(pinned)).digest).toBe(first.digest);
  });

  it.each([
    [
      "a missing tag",
      "team/app:nope",
      "MANIFEST_UNKNOWN",
      "not found (HTTP 404 MANIFEST_UNKNOWN: manifest unknown): check the tag; team/app has 1",
    ],
    [
      "a missing repository",
      "team/nothing:1",
      "NAME_UNKNOWN",
      "repository not found (HTTP 404 NAME_UNKNOWN: repository name not known to registry): check the repository name",
    ],
  ])("fails on %s with the registry's code and the next step", async (_name, image, registryCode, reason) => {
    const reference = `${registry.host}/${image}`;
    const err = (await client.resolveDigest(refOf(reference)).catch((e: unknown) => e)) as RegistryError;
    expect(err).toBeInstanceOf(RegistryError);
    expect(err).toMatchObject({
      code: "ImageNotFound",
      exitCode: 2,
      reference,
      registry: registry.host,
      status: 404,
      registryCode,
    });
    expect(err.message).toBe(`resolve image digest: ${reference}: ${reason}`);
  });

  it("sees a new digest when the same tag is pushed again with other content, and reports the running version as unknown", async () => {
    const again = await buildBusyboxImage({
      registry,
      repository: "team/app",
      tag: "1",
      cmd: ["/bin/sh", "-c", "echo v2"],
    });
    expect(again.digest).not.toBe(first.digest);
    expect((await client.resolveDigest(refOf(first.ref))).digest).toBe(again.digest);
    // Instances still running the first push are reported as "<name>:unknown", so an upgrade is planned.
    const digests = await dockerResolver(client).resolve({ model: [], running: [first.ref] });
    expect(reportedImage(first.ref, first.digest, digests[first.ref])).toBe(
      `${registry.host}/team/app:unknown`,
    );
    expect(reportedImage(first.ref, again.digest, digests[first.ref])).toBe(first.ref);
  });
});
