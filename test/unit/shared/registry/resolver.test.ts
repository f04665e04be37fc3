import { describe, expect, it } from "vitest";
import type { ImageRef } from "../../../../shared/image-ref/parse.js";
import type { ResolvedDigest } from "../../../../shared/registry/client.js";
import { registryErrorFor } from "../../../../shared/registry/errors.js";
import { imageResolver } from "../../../../shared/registry/resolver.js";

const d = (c: string) => `sha256:${c.repeat(64)}`;

/** A registry as data: canonical path:tag -> digest; anything else is MANIFEST_UNKNOWN. */
function fakeRegistry(images: Record<string, string>) {
  const asked: string[] = [];
  const client = {
    async resolveDigest(ref: ImageRef): Promise<ResolvedDigest> {
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
  };
  return { client, asked };
}

describe("image_check_type: none", () => {
  const none = imageResolver({ type: "none" });

  it("no validation of the image IDs is done and no image digest is stored with running instances", async () => {
    expect(await none.resolve("not even a reference!")).toEqual({ imageId: "not even a reference!" });
  });

  it("replacing the image while keeping the same ID will not be detected as a change", async () => {
    expect(await none.reportedImage("team/app:1", d("1"))).toBe("team/app:1");
  });

  it("never asks the registry, even when given a client", async () => {
    const { client, asked } = fakeRegistry({});
    const type = "none" as "docker" | "none";
    const resolver = imageResolver({ type, client });
    await resolver.resolve("team/app:1");
    await resolver.reportedImage("team/app:1", d("1"));
    expect(asked).toEqual([]);
  });

  it("compares image ids as strings", () => {
    expect(none.sameImage("nginx", "nginx")).toBe(true);
    expect(none.sameImage("nginx", "docker.io/library/nginx:latest")).toBe(false);
  });
});

describe("image_check_type: docker", () => {
  it("validates an image id against its registry and returns the digest to store", async () => {
    const { client } = fakeRegistry({ "docker.io/team/app:1": d("1") });
    expect(await imageResolver({ type: "docker", client }).resolve("team/app:1")).toEqual({
      imageId: "team/app:1",
      digest: d("1"),
      mediaType: "application/vnd.oci.image.manifest.v1+json",
    });
  });

  it("asks the registry once per image during its life, whatever the spelling", async () => {
    const { client, asked } = fakeRegistry({ "docker.io/library/nginx:latest": d("1") });
    const docker = imageResolver({ type: "docker", client });
    const answers = await Promise.all(
      ["nginx", "nginx:latest", "docker.io/library/nginx"].map((i) => docker.resolve(i)),
    );
    expect(asked).toEqual(["docker.io/library/nginx:latest"]);
    expect(answers.map((a) => a.imageId)).toEqual(["nginx", "nginx:latest", "docker.io/library/nginx"]);
  });

  it("fails on an image id that is not a reference, with exit code 2", async () => {
    const { client } = fakeRegistry({});
    await expect(imageResolver({ type: "docker", client }).resolve("Team/App")).rejects.toMatchObject({
      code: "ImageRefInvalid",
      exitCode: 2,
      message:
        'resolve image digest: Team/App: repository name "App" must be lowercase: fix the image id, or set image_check_type: none if it is not a Docker image',
    });
  });

  it.each([
    ["the registry serves another digest for the tag now", d("2"), "team/app:unknown"],
    ["the registry serves the running digest", d("1"), "team/app:1"],
    ["the tag is gone from the registry", undefined, "team/app:unknown"],
  ])("reports the running version: %s", async (_name, registryDigest, expected) => {
    const { client } = fakeRegistry(registryDigest ? { "docker.io/team/app:1": registryDigest } : {});
    expect(await imageResolver({ type: "docker", client }).reportedImage("team/app:1", d("1"))).toBe(
      expected,
    );
  });

  it("reports the image id as it is when no digest was stored, without asking the registry", async () => {
    const { client, asked } = fakeRegistry({});
    expect(await imageResolver({ type: "docker", client }).reportedImage("team/app:1", undefined)).toBe(
      "team/app:1",
    );
    expect(asked).toEqual([]);
  });

  it("compares image ids after normalisation", () => {
    const docker = imageResolver({ type: "docker", client: fakeRegistry({}).client });
    expect(docker.sameImage("nginx", "docker.io/library/nginx:latest")).toBe(true);
    expect(docker.sameImage("nginx:1", "nginx:2")).toBe(false);
  });
});
