// The ImageResolver port of the deploy path, one per image_check_type (docs/spec/deploy.md#image-check-type):
// docker validates every image id against its registry and yields the digest stored with a group;
// none touches no registry and compares ids as strings.
import { AsgReleaseError } from "../errors.js";
import { canonicalImageRef } from "../image-ref/format.js";
import { parseImageRef, type ImageRef } from "../image-ref/parse.js";
import type { RegistryClient } from "./client.js";
import { RegistryError } from "./errors.js";
import { reportedImage } from "./reported-image.js";

export type ImageCheckType = "docker" | "none";

export interface ResolvedImage {
  imageId: string;
  /** The manifest digest to store with the group; absent for image_check_type: none. */
  digest?: string;
  mediaType?: string;
}

export interface ImageResolver {
  readonly type: ImageCheckType;
  /** Validates `imageId` (docker: it exists in its registry) and returns what to store with the group. */
  resolve(imageId: string, opts?: { signal?: AbortSignal }): Promise<ResolvedImage>;
  /** On state load: the image id to report for running instances whose stored digest is `runningDigest`. */
  reportedImage(
    imageId: string,
    runningDigest: string | undefined,
    opts?: { signal?: AbortSignal },
  ): Promise<string>;
  /** Whether two image ids name the same image (docker: after normalisation, so "nginx" = "docker.io/library/nginx:latest"). */
  sameImage(a: string, b: string): boolean;
}

/** `client` may be passed for none as well, so `{ type: settings.image_check_type, client }` type-checks. */
export type ImageResolverOptions =
  | { type: "none"; client?: Pick<RegistryClient, "resolveDigest"> }
  | { type: "docker"; client: Pick<RegistryClient, "resolveDigest"> };

export function imageResolver(opts: ImageResolverOptions): ImageResolver {
  return opts.type === "none" ? noneResolver : dockerResolver(opts.client);
}

const noneResolver: ImageResolver = {
  type: "none",
  resolve: async (imageId) => ({ imageId }),
  reportedImage: async (imageId) => imageId,
  sameImage: (a, b) => a === b,
};

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

function dockerResolver(client: Pick<RegistryClient, "resolveDigest">): ImageResolver {
  // One lookup per image for the resolver's life (a deploy run): state load and planning ask for
  // the same images, often many components for one. Failures are not kept, so a later ask retries.
  const pending = new Map<string, Promise<ResolvedImage>>();
  const resolve = (imageId: string, signal?: AbortSignal): Promise<ResolvedImage> => {
    const ref = parseOrThrow(imageId);
    const key = canonicalImageRef(ref);
    let found = pending.get(key);
    if (!found) {
      found = client.resolveDigest(ref, signal ? { signal } : {}).then((r) => ({ imageId, ...r }));
      found.catch(() => pending.delete(key));
      pending.set(key, found);
    }
    return found.then((r) => ({ ...r, imageId }));
  };
  return {
    type: "docker",
    resolve: async (imageId, opts = {}) => resolve(imageId, opts.signal),
    async reportedImage(imageId, runningDigest, opts = {}) {
      if (runningDigest === undefined) return imageId;
      let registryDigest: string | undefined;
      try {
        registryDigest = (await resolve(imageId, opts.signal)).digest;
      } catch (err) {
        // The image id no longer exists in its registry: what runs cannot be what the id names now.
        if (!(err instanceof RegistryError && err.code === "ImageNotFound")) throw err;
      }
      return reportedImage(imageId, runningDigest, registryDigest);
    },
    sameImage(a, b) {
      const [ra, rb] = [parseImageRef(a), parseImageRef(b)];
      return ra.ok && rb.ok ? canonicalImageRef(ra.ref) === canonicalImageRef(rb.ref) : a === b;
    },
  };
}
