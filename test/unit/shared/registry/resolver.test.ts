// The image check over a registry as data: model images must resolve, a running image gone from
// its registry answers null, one lookup per image whatever its spelling; `none` asks nothing.
import { describe, expect, it } from "vitest";
import type { AwsClients } from "#shared/aws/clients.js";
import type { ImageRef } from "#shared/image-ref/parse.js";
import type { RegistryClient } from "#shared/registry/client.js";
import { registryErrorFor } from "#shared/registry/errors.js";
import { reportedImage } from "#shared/registry/reported-image.js";
import { registryResolvers } from "#shared/registry/resolver-factory.js";
import {
  dockerResolver,
  imagesToCheck,
  noneResolver,
  type ImageCheckType,
  type ImagesToCheck,
  type RegistryDigests,
} from "#shared/registry/resolver.js";

const d = (c: string) => `sha256:${c.repeat(64)}`;

/** A registry as data: canonical path:tag -> digest; anything else is MANIFEST_UNKNOWN. */
function fakeRegistry(images: Record<string, string>) {
  const asked: string[] = [];
  let closed = false;
  const client: RegistryClient = {
    async resolveDigest(ref: ImageRef) {
      const key = `${ref.domain}/${ref.path}:${ref.tag ?? "latest"}`;
      asked.push(key);
      const digest = images[key];
      if (!digest) {
        throw registryErrorFor(
          { reference: key, registry: ref.domain, repository: ref.path },
          404,
          "MANIFEST_UNKNOWN",
          undefined,
        );
      }
      return { digest, mediaType: "application/vnd.oci.image.manifest.v1+json" };
    },
    close: async () => {
      closed = true;
    },
  };
  return { client, asked, closed: () => closed };
}

const resolverFor = (check: ImageCheckType, client: RegistryClient) =>
  check === "none" ? noneResolver : dockerResolver(client);

const images = (model: string[], running: string[] = []): ImagesToCheck => ({ model, running });

describe("the registry's answers", () => {
  it.each<[string, ImageCheckType, Record<string, string>, ImagesToCheck, RegistryDigests, string[]]>([
    [
      "none: no validation of the image IDs is done and no image digest is stored with running instances",
      "none",
      {},
      images(["not even a reference!"]),
      {},
      [],
    ],
    [
      "none: no registry access, nothing resolved",
      "none",
      { "reg/front:1": d("1") },
      images(["reg/front:1"], ["reg/front:0"]),
      {},
      [],
    ],
    [
      "docker: validates a model image against its registry and gives the digest to store",
      "docker",
      { "docker.io/team/app:1": d("1") },
      images(["team/app:1"]),
      { "team/app:1": d("1") },
      ["docker.io/team/app:1"],
    ],
    [
      "docker: gives each image its digest, once per reference",
      "docker",
      { "127.0.0.1:5000/shop/front:1": d("1") },
      images(["127.0.0.1:5000/shop/front:1"], ["127.0.0.1:5000/shop/front:1"]),
      { "127.0.0.1:5000/shop/front:1": d("1") },
      ["127.0.0.1:5000/shop/front:1"],
    ],
    [
      "docker: asks the registry once per image, whatever the spelling",
      "docker",
      { "docker.io/library/nginx:latest": d("1") },
      images(["nginx", "nginx:latest"], ["docker.io/library/nginx"]),
      { nginx: d("1"), "nginx:latest": d("1"), "docker.io/library/nginx": d("1") },
      ["docker.io/library/nginx:latest"],
    ],
    [
      "docker: a running image gone from its registry answers null (it reads unknown), not an error",
      "docker",
      {},
      images([], ["127.0.0.1:5000/shop/front:0"]),
      { "127.0.0.1:5000/shop/front:0": null },
      ["127.0.0.1:5000/shop/front:0"],
    ],
    [
      "docker: a gone running image asked under two spellings is asked once",
      "docker",
      { "docker.io/team/app:2": d("2") },
      images(["team/app:2"], ["team/app:1", "docker.io/team/app:1"]),
      { "team/app:2": d("2"), "team/app:1": null, "docker.io/team/app:1": null },
      ["docker.io/team/app:2", "docker.io/team/app:1"],
    ],
  ])("%s", async (_name, check, registry, asking, expected, asked) => {
    const fake = fakeRegistry(registry);
    expect(await resolverFor(check, fake.client).resolve(asking)).toEqual(expected);
    expect(fake.asked).toEqual(asked);
  });

  it.each([
    [
      "a model image that is not in its registry fails the plan",
      images(["127.0.0.1:5000/shop/front:9"]),
      { code: "ImageNotFound", exitCode: 2, message: expect.stringMatching(/shop\/front:9: not found/) },
    ],
    [
      "an image id that is not a reference fails, with exit code 2",
      images(["Team/App"]),
      {
        code: "ImageRefInvalid",
        exitCode: 2,
        message:
          'resolve image digest: Team/App: repository name "App" must be lowercase: fix the image id, or set image_check_type: none if it is not a Docker image',
      },
    ],
    [
      "a running image id that is not a reference fails too: nothing can be compared",
      images([], ["Team/App"]),
      { code: "ImageRefInvalid", exitCode: 2 },
    ],
  ])("docker: %s", async (_name, asking, error) => {
    await expect(dockerResolver(fakeRegistry({}).client).resolve(asking)).rejects.toMatchObject(error);
  });

  it("docker: close closes the registry client; none has nothing to close", async () => {
    const fake = fakeRegistry({});
    await dockerResolver(fake.client).close();
    expect(fake.closed()).toBe(true);
    await expect(noneResolver.close()).resolves.toBeUndefined();
  });
});

describe("what is looked up", () => {
  it("every model image, and a running one only where its group stores a digest", () => {
    expect(
      imagesToCheck(
        ["team/app:2"],
        [{ imageId: "team/app:1", digest: d("1") }, { imageId: "team/old:1" }, { digest: d("3") }, {}],
      ),
    ).toEqual({ model: ["team/app:2"], running: ["team/app:1"] });
  });
});

describe("the running version reported after the lookup", () => {
  it.each<[string, ImageCheckType, Record<string, string>, string | undefined, string, string[]]>([
    [
      "none: replacing the image while keeping the same ID will not be detected as a change",
      "none",
      { "docker.io/team/app:1": d("2") },
      d("1"),
      "team/app:1",
      [],
    ],
    [
      "docker: the registry serves another digest for the tag now",
      "docker",
      { "docker.io/team/app:1": d("2") },
      d("1"),
      "team/app:unknown",
      ["docker.io/team/app:1"],
    ],
    [
      "docker: the registry serves the running digest",
      "docker",
      { "docker.io/team/app:1": d("1") },
      d("1"),
      "team/app:1",
      ["docker.io/team/app:1"],
    ],
    [
      "docker: the tag is gone from the registry",
      "docker",
      {},
      d("1"),
      "team/app:unknown",
      ["docker.io/team/app:1"],
    ],
    [
      "docker: no digest was stored, so the image id is reported as it is, without asking the registry",
      "docker",
      { "docker.io/team/app:1": d("2") },
      undefined,
      "team/app:1",
      [],
    ],
  ])("%s", async (_name, check, registry, stored, expected, asked) => {
    const fake = fakeRegistry(registry);
    const group = { imageId: "team/app:1", ...(stored ? { digest: stored } : {}) };
    const digests = await resolverFor(check, fake.client).resolve(imagesToCheck([], [group]));
    expect(reportedImage(group.imageId, group.digest, digests[group.imageId])).toBe(expected);
    expect(fake.asked).toEqual(asked);
  });
});

describe("registryResolvers", () => {
  const noAws = {
    get ecr(): AwsClients["ecr"] {
      throw new Error("ECR asked for");
    },
  };

  it("none: never asks the registry, nor AWS for registry tokens", async () => {
    const resolver = registryResolvers({ env: {}, home: "/nonexistent" })("none", noAws);
    expect(resolver).toBe(noneResolver);
    expect(await resolver.resolve(images(["team/app:1"], ["team/app:0"]))).toEqual({});
  });

  it("docker: a resolver over a registry client, closed with it", async () => {
    const resolver = registryResolvers({ env: {}, home: "/nonexistent" })("docker", {
      ecr: {} as AwsClients["ecr"],
    });
    expect(resolver.kind).toBe("docker");
    await resolver.close();
  });
});
