// The deploy path's image check over a registry client: model images must resolve, running ones
// that are gone read as a version no stored digest matches; `none` asks nothing.
import { describe, expect, it } from "vitest";
import {
  dockerResolver,
  GONE_FROM_REGISTRY,
  noneResolver,
} from "../../../../release-server/deploy/image-resolver.js";
import type { RegistryClient } from "../../../../shared/registry/client.js";
import { RegistryError } from "../../../../shared/registry/errors.js";

const D1 = `sha256:${"1".repeat(64)}`;

function client(known: Record<string, string>): RegistryClient & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    resolveDigest: (ref) => {
      const name = `${ref.path}:${ref.tag ?? "latest"}`;
      asked.push(name);
      const digest = known[name];
      return digest
        ? Promise.resolve({ digest, mediaType: "" })
        : Promise.reject(
            new RegistryError("ImageNotFound", "not found", {
              reference: name,
              registry: ref.domain,
              status: 404,
            }),
          );
    },
    close: () => Promise.resolve(),
  };
}

describe("image check", () => {
  it("docker: gives each image its digest, once per reference", async () => {
    const c = client({ "shop/front:1": D1 });
    const digests = await dockerResolver(c).resolve(
      ["127.0.0.1:5000/shop/front:1"],
      ["127.0.0.1:5000/shop/front:1"],
    );
    expect(digests).toEqual({ "127.0.0.1:5000/shop/front:1": D1 });
    expect(c.asked).toEqual(["shop/front:1"]);
  });

  it("docker: a running image gone from its registry matches no stored digest", async () => {
    const digests = await dockerResolver(client({})).resolve([], ["127.0.0.1:5000/shop/front:0"]);
    expect(digests).toEqual({ "127.0.0.1:5000/shop/front:0": GONE_FROM_REGISTRY });
  });

  it("docker: a model image that is not in its registry fails the plan", async () => {
    await expect(dockerResolver(client({})).resolve(["127.0.0.1:5000/shop/front:9"], [])).rejects.toThrow(
      /not found/,
    );
  });

  it("none: no registry access, nothing resolved", async () => {
    expect(await noneResolver.resolve(["reg/front:1"], ["reg/front:0"])).toEqual({});
  });
});
