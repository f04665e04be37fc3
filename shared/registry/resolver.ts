// The image check (image_check_type) as a port the deploy path calls once per run, before planning:
// `none` asks no registry and image ids are compared as written; `docker` looks every image up in
// its registry and the plan compares the digest stored on each group with the answer.
//
// The rules, decided once (docs/deploy.md, "Image check"):
// - A model image must be in its registry: one that is not fails the plan before any change.
// - A running image the registry no longer has (its tag or pinned digest is gone) is not an
//   error: it answers `null`, and the group reports `<name>:unknown`, a version no model names.
//   Other registry failures (credentials, network, an id that is not a reference) stop the plan,
//   for the running images looked up too: nothing can be compared.
// - The reported id is the reference as written with the tag `unknown` and no `@digest`
//   (reported-image.ts).
// - A group without a stored digest (made with `none`, or by hand) is not looked up and reports its
//   id as written: switching the check on does not by itself replace every group; its next upgrade
//   stores a digest.
// - A reference without a `@digest` is looked up by its tag (`latest` when none is written), so a
//   re-pushed tag is seen; a reference pinned by digest is looked up by that digest and only reads
//   as unknown once the registry has lost it.
import { AsgReleaseError } from "../errors.js";
import { canonicalImageRef } from "../image-ref/format.js";
import { parseImageRef, type ImageRef } from "../image-ref/parse.js";
import type { RegistryClient } from "./client.js";
import { RegistryError } from "./errors.js";

export type ImageCheckType = "docker" | "none";

/**
 * The registry's answer per image id as written: the digest it serves, or `null` when it has no
 * such image (running images only). An id that was not looked up is absent.
 */
export type RegistryDigests = Readonly<Record<string, string | null>>;

export interface ImagesToCheck {
  /** The model's images: each must be in its registry. */
  model: readonly string[];
  /** The images of running groups that carry a stored digest: what they are compared with. */
  running: readonly string[];
}

/** Every model image; a running one only where a group stores a digest to compare it with. */
export function imagesToCheck(
  model: readonly string[],
  groups: readonly { imageId?: string; digest?: string }[],
): ImagesToCheck {
  return {
    model,
    running: groups.flatMap((g) => (g.imageId !== undefined && g.digest !== undefined ? [g.imageId] : [])),
  };
}

export interface ImageResolver {
  readonly kind: ImageCheckType;
  /** The registry's answer for each image; fails when a model image is not there. */
  resolve(images: ImagesToCheck): Promise<RegistryDigests>;
  /** Releases the registry connections. */
  close(): Promise<void>;
}

export const noneResolver: ImageResolver = {
  kind: "none",
  resolve: () => Promise.resolve({}),
  close: () => Promise.resolve(),
};

/** Over a registry client, which `close` closes. */
export function dockerResolver(client: RegistryClient): ImageResolver {
  // One lookup per image, whatever its spelling ("nginx" = "docker.io/library/nginx:latest"):
  // many components often share one image, and running images are mostly the model's.
  const looked = new Map<string, Promise<string>>();
  const digestOf = (imageId: string): Promise<string> => {
    const ref = parseOrThrow(imageId);
    const key = canonicalImageRef(ref);
    let found = looked.get(key);
    if (!found) {
      found = client.resolveDigest(ref).then((r) => r.digest);
      looked.set(key, found);
    }
    return found;
  };
  return {
    kind: "docker",
    async resolve(images) {
      const digests: Record<string, string | null> = {};
      for (const image of new Set(images.model)) digests[image] = await digestOf(image);
      for (const image of new Set(images.running)) {
        if (image in digests) continue;
        try {
          digests[image] = await digestOf(image);
        } catch (err) {
          if (!(err instanceof RegistryError && err.code === "ImageNotFound")) throw err;
          digests[image] = null;
        }
      }
      return digests;
    },
    close: () => client.close(),
  };
}

function parseOrThrow(imageId: string): ImageRef {
  const parsed = parseImageRef(imageId);
  if (!parsed.ok) {
    throw new AsgReleaseError(
      `resolve image digest: ${imageId}: ${parsed.problem}: fix the image id, or set image_check_type: none if it is not a Docker image`,
      { code: "ImageRefInvalid", exitCode: 2, context: { reference: imageId } },
    );
  }
  return parsed.ref;
}
