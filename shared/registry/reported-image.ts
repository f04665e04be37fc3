// The image a running group reports under image_check_type: docker, from the digest stored on the
// group and what its registry answers now for the same reference (resolver.ts has the rules in
// full). A difference replaces the tag with "unknown", which no model image names, so an upgrade is
// planned even when the model keeps the reference. Pure: the registry lookup is the resolver's.

export const UNKNOWN_TAG = "unknown";

/**
 * The reference as written with its tag replaced by `unknown`: "team/app:1" -> "team/app:unknown",
 * "app" -> "app:unknown", "app:1@sha256:..." -> "app:unknown". A "@digest" part is dropped: it
 * would pin the reported id to one image, and the point of `unknown` is that which image runs is
 * not what the reference names.
 */
export function withUnknownTag(imageId: string): string {
  const at = imageId.indexOf("@");
  const named = at === -1 ? imageId : imageId.slice(0, at);
  // A tag follows the last ":" after the last "/" (an earlier ":" is a registry port).
  const colon = named.lastIndexOf(":");
  const name = colon > named.lastIndexOf("/") ? named.slice(0, colon) : named;
  return `${name}:${UNKNOWN_TAG}`;
}

/**
 * The image id to report for a group started from `imageId` with `storedDigest` on it, given what
 * the registry answered for `imageId`: a digest, `null` (the registry has no such image any more)
 * or undefined (not looked up: image_check_type: none, a destroy, a rollback, or a group without a
 * stored digest). Only a stored digest that differs from a registry answer reads as unknown.
 */
export function reportedImage(
  imageId: string,
  storedDigest: string | undefined,
  registryDigest: string | null | undefined,
): string {
  if (storedDigest === undefined || registryDigest === undefined || storedDigest === registryDigest) {
    return imageId;
  }
  return withUnknownTag(imageId);
}
