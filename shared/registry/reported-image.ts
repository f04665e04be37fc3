// The rule for image_check_type: docker on state load (docs/spec/deploy.md#image-check-unknown): when
// the digest recorded for running instances differs from the registry's for the same image id, the
// reported image's tag becomes "unknown", so that deploying the same image id again plans an
// upgrade. Pure: the registry lookup is the caller's.

export const UNKNOWN_TAG = "unknown";

/** "team/app:1" -> "team/app:unknown"; "app" -> "app:unknown"; a "@digest" part is kept. */
export function withUnknownTag(imageId: string): string {
  const at = imageId.indexOf("@");
  const named = at === -1 ? imageId : imageId.slice(0, at);
  const pinned = at === -1 ? "" : imageId.slice(at);
  // A tag follows the last ":" after the last "/" (an earlier ":" is a registry port).
  const colon = named.lastIndexOf(":");
  const name = colon > named.lastIndexOf("/") ? named.slice(0, colon) : named;
  return `${name}:${UNKNOWN_TAG}${pinned}`;
}

/**
 * The image id to report for instances started from `imageId` whose stored digest is
 * `runningDigest`, given the digest the registry now serves for `imageId` (undefined: the registry
 * has no such image any more, which is a difference too). Without a stored digest (the group was
 * made with image_check_type: none) there is nothing to compare, and the id is reported as it is.
 */
export function reportedImage(
  imageId: string,
  runningDigest: string | undefined,
  registryDigest: string | undefined,
): string {
  if (runningDigest === undefined || runningDigest === registryDigest) return imageId;
  return withUnknownTag(imageId);
}
