// Writes image references back out: canonical ("docker.io/library/nginx:latest") for comparisons and
// registry calls, familiar ("nginx:1.27") for people, and pinned to a digest once one is resolved.
import { defaultDomain, defaultTag, officialRepoPrefix } from "./grammar.js";
import type { ImageRef } from "./parse.js";

export function canonicalImageRef(ref: ImageRef): string {
  const tag = ref.tag ?? (ref.digest === undefined ? defaultTag : undefined);
  return `${ref.domain}/${ref.path}${tag === undefined ? "" : `:${tag}`}${ref.digest === undefined ? "" : `@${ref.digest}`}`;
}

export function familiarImageRef(ref: ImageRef): string {
  let name = `${ref.domain}/${ref.path}`;
  if (ref.domain === defaultDomain) {
    const rest = ref.path.startsWith(officialRepoPrefix)
      ? ref.path.slice(officialRepoPrefix.length)
      : ref.path;
    name = rest.includes("/") ? ref.path : rest;
  }
  return `${name}${ref.tag === undefined ? "" : `:${ref.tag}`}${ref.digest === undefined ? "" : `@${ref.digest}`}`;
}

/** The same image pinned to `digest` (the tag is kept for people reading it). */
export function withDigest(ref: ImageRef, digest: string): ImageRef {
  return { ...ref, digest };
}

/** The host to send registry API calls to: Docker Hub's registry is not at docker.io itself. */
export function registryHost(ref: ImageRef): string {
  return ref.domain === defaultDomain ? "registry-1.docker.io" : ref.domain;
}
