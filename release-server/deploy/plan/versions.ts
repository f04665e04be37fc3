// How a running group's image is compared with the model's (docs/spec/deploy.md#image-check-type): with
// `none` as text; with `docker` the digest stored on the group is compared with the registry's for
// the same reference, and a difference reports the version as "unknown", so an upgrade is planned.
import { familiarImageRef } from "../../../shared/image-ref/format.js";
import { parseImageRef } from "../../../shared/image-ref/parse.js";

export type ImageCheckType = "docker" | "none";

/** What the resolver found for each image reference (docker: its digest; none: nothing). */
export type RegistryDigests = Readonly<Record<string, string | undefined>>;

export function reportedImage(
  imageId: string,
  storedDigest: string | undefined,
  digests: RegistryDigests,
  check: ImageCheckType,
): string {
  const current = digests[imageId];
  if (check === "none" || current === undefined || storedDigest === current) return imageId;
  return withUnknownTag(imageId);
}

// docs/spec/deploy.md#image-check-unknown: the reported image's tag becomes "unknown".
export function withUnknownTag(imageId: string): string {
  const parsed = parseImageRef(imageId);
  if (!parsed.ok) return `${imageId}:unknown`;
  return familiarImageRef({ ...parsed.ref, tag: "unknown", digest: undefined });
}
